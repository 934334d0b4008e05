"""The state dataclasses a model file holds, under names that do not change when modules
move (format 2 on).

A state object is written as its dataclass fields and read back through its
constructor; a new state class needs one line here.
"""

from __future__ import annotations

import dataclasses

from ..fitting.fitted import TableState
from ..model.latent_prior import LatentMixture
from ..table.codec import ColumnSpec, TableCodec
from ..table.frames import Container
from ..table.quantiles import NormalQuantileMap
from ..table.structure.keys import KeyFormat
from ..table.structure.structure import RULE_TYPES, TableStructure
from ..table.target import Target
from ..training.stopping import TrainingHistory
from .errors import ModelFileError

#: ``{class: stable name}`` of every state class.
STATE_TYPES: dict[type, str] = {
    cls: cls.__name__
    for cls in (
        ColumnSpec,
        Container,
        LatentMixture,
        NormalQuantileMap,
        TableCodec,
        TableState,
        Target,
        TrainingHistory,
        KeyFormat,
        TableStructure,
        *RULE_TYPES,
    )
}
_BY_NAME = {name: cls for cls, name in STATE_TYPES.items()}


def field_names(cls: type) -> set[str]:
    """The names of a state dataclass's fields."""
    return {f.name for f in dataclasses.fields(cls)}


def _required_names(cls: type) -> set[str]:
    """The fields a file must hold: those without a default.

    A field added to a state class in a later format gets a default, which files
    written before it (which lack it) load with.
    """
    return {
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }


def build_state(name, state: dict, path: str):
    """The state object of class ``name`` with attributes ``state`` (format 2 on)."""
    cls = _BY_NAME.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ModelFileError(
            f"{path} names class {name!r}, which is not a vae_augment state class; the "
            "file may come from a newer vae_augment."
        )
    if not _required_names(cls) <= set(state) <= field_names(cls):
        raise ModelFileError(
            f"{path} holds attributes {sorted(state)} for {name}, which has "
            f"{sorted(field_names(cls))}."
        )
    return cls(**state)
