"""Model files: a zip archive of JSON and safetensors that loading cannot run code from.

A model file holds three members:

* ``manifest.json`` -- the format name and version, the library version that wrote it,
  the estimator's name and the SHA-256 of the two other members;
* ``estimator.json`` -- the constructor parameters and the fitted model's state, as
  tagged JSON (:mod:`.tags`), and, when the writer knows it, the training table's
  column order (``table_columns``: the command line records where the target column
  was; readers that predate it ignore it, so it needs no new format version);
* ``weights.safetensors`` -- every numeric array of that state and the network's
  weights.

Format 2 names state classes by stable names (:mod:`.state_types`); files of format 1
(vae_augment 0.1.0) are read through :mod:`.format_v1` and give the same rows. Format 3
adds how a polars table was given (``Container.is_polars``, ``Container.date_columns``,
``Target.is_polars``); format-2 files lack those fields and load with their defaults
(a pandas table or an array).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.numpy import load as load_arrays
from safetensors.numpy import save as save_arrays

from .._version import __version__
from ..fitting.fitted import FittedVAE
from ..model.devices import available_device
from ..utils.files import replaced_atomically
from . import format_v1
from .errors import ModelFileError
from .reader import Reader
from .state_types import STATE_TYPES, build_state
from .writer import Writer

FORMAT_NAME = "vae-augment-model"
#: Written into every file; files with a larger version are refused.
FORMAT_VERSION = 4
#: The estimator's name in the manifest (format 2 on).
ESTIMATOR = "VAEAugmenter"

_MANIFEST = "manifest.json"
_ESTIMATOR = "estimator.json"
_WEIGHTS = "weights.safetensors"
_TABLE_COLUMNS = "table_columns"
_MEMBERS = (_MANIFEST, _ESTIMATOR, _WEIGHTS)
# What rebuilding state from a well-formed archive with nonsense inside can raise
# (RecursionError, a RuntimeError, for absurdly nested JSON).
_MALFORMED = (
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    ArithmeticError,
    RuntimeError,
)
_ZIP_MAGIC = b"PK\x03\x04"
# A fixed member timestamp: saving the same model twice gives the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_MODEL_FIELDS = frozenset(f.name for f in fields(FittedVAE))


# ---------------------------------------------------------------------------- writing
def write_model(
    path: str | os.PathLike,
    params: dict,
    model: FittedVAE,
    *,
    table_columns: Sequence[str] | None = None,
) -> None:
    """Write a fitted model and its estimator's parameters to a model file.

    ``table_columns``, when given, are the names of the training table's columns (the
    target's among them) in the table's order; :func:`read_table_columns` gives them
    back.

    Raises
    ------
    TypeError
        If a value cannot be stored (the message names it).
    """
    writer = Writer(STATE_TYPES)
    document = {
        "params": {k: writer.encode(v, k) for k, v in params.items()},
        "model": {k: writer.encode(v, k) for k, v in model.__getstate__().items()},
    }
    if table_columns is not None:
        document[_TABLE_COLUMNS] = [str(name) for name in table_columns]
    members = {
        _ESTIMATOR: json.dumps(document, indent=1, allow_nan=False).encode("utf-8"),
        _WEIGHTS: save_arrays(writer.arrays),
    }
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "estimator": ESTIMATOR,
        "sha256": {
            name: hashlib.sha256(data).hexdigest() for name, data in members.items()
        },
    }
    members = {_MANIFEST: json.dumps(manifest, indent=1).encode("utf-8"), **members}
    with replaced_atomically(path) as partial, open(partial, "xb") as file:
        with zipfile.ZipFile(file, "w") as archive:
            for name, data in members.items():
                # Stored, not compressed: weights barely compress, and a fixed date
                # makes saving the same model twice give the same bytes.
                archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_DATE), data)


# ---------------------------------------------------------------------------- reading
def _archive_members(path: Path) -> dict[str, bytes]:
    """The members of the zip archive at ``path``, checked to be those of a model file."""
    with open(path, "rb") as file:
        head = file.read(len(_ZIP_MAGIC))
    if head != _ZIP_MAGIC:
        raise ModelFileError(
            f"{path} is not a vae_augment model file (it is not a zip archive); such files "
            "are written by VAEAugmenter.save."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if _MANIFEST not in names:
                raise _foreign_members(path, names)
            # Checked before reading anything: save writes members uncompressed and
            # unencrypted, and a member cannot be larger than the whole file.
            size = path.stat().st_size
            for info in archive.infolist():
                if info.compress_type != zipfile.ZIP_STORED:
                    problem = "is compressed"
                elif info.flag_bits & 1:
                    problem = "is encrypted"
                elif info.file_size > size:
                    problem = f"claims {info.file_size} bytes, more than the file has"
                else:
                    continue
                raise ModelFileError(
                    f"{path} is not a vae_augment model file: its member {info.filename} "
                    f"{problem}."
                )
            return {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
        raise ModelFileError(
            f"{path} is damaged (truncated or modified) and cannot be read: {error}."
        ) from None


def _foreign_members(path: Path, names) -> ModelFileError:
    return ModelFileError(
        f"{path} is not a vae_augment model file: it holds members {list(names)}, not "
        f"{list(_MEMBERS)}."
    )


def _checked_manifest(path: Path, members: dict[str, bytes]) -> dict:
    """The manifest of a model file, once its format, version, members and checksums are
    checked (the version first: a newer format may hold other members)."""
    try:
        manifest = json.loads(members[_MANIFEST])
        format_name, version = manifest["format"], manifest["format_version"]
        checksums = dict(manifest["sha256"])
    except (ValueError, TypeError, KeyError, RecursionError):
        raise ModelFileError(
            f"{path} is not a vae_augment model file: its manifest is unreadable."
        ) from None
    if format_name != FORMAT_NAME or type(version) is not int or version < 1:
        raise ModelFileError(
            f"{path} is not a vae_augment model file: its manifest names format "
            f"{format_name!r}, version {version!r}."
        )
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path} was written in model format version {version} (by vae_augment "
            f"{manifest.get('library_version', '?')}), but this vae_augment reads format "
            f"version {FORMAT_VERSION} and older; upgrade vae_augment to load it."
        )
    if sorted(members) != sorted(_MEMBERS):
        raise _foreign_members(path, members)
    for name in (_ESTIMATOR, _WEIGHTS):
        if hashlib.sha256(members[name]).hexdigest() != checksums.get(name):
            raise ModelFileError(
                f"{path} has been modified or damaged: the checksum of its member {name} "
                "does not match the manifest. Refusing to load it."
            )
    return manifest


def _read_members(path: Path) -> tuple[dict, dict, dict[str, np.ndarray]]:
    """Open the archive and check it against its manifest.

    Returns the manifest, the estimator document and the arrays of the weights member.
    """
    members = _archive_members(path)
    manifest = _checked_manifest(path, members)
    try:
        document = json.loads(members[_ESTIMATOR])
        arrays = load_arrays(members[_WEIGHTS])
    except (ValueError, LookupError, TypeError, RecursionError, SafetensorError) as error:
        raise ModelFileError(f"{path} has an unreadable member: {error!r}") from None
    return manifest, document, arrays


#: Parameters added after files were written without them, with the value that
#: describes how such a file's model was trained (the encoder never saw the target).
PARAMETERS_ADDED = {
    "target_dropout": 1.0,
    "column_kinds": None,
    "rules": None,
    "target_head": False,
}


def _model_state(manifest: dict, document: dict, arrays) -> tuple[dict, dict]:
    """The parameters and the ``FittedVAE`` state of a document, in its version's terms."""
    version = manifest["format_version"]
    expected = ESTIMATOR if version >= 2 else format_v1.ESTIMATOR
    if manifest.get("estimator") != expected:
        raise ModelFileError(f"it holds {manifest.get('estimator')!r}, not a VAEAugmenter")
    reader = Reader(arrays, build_state if version >= 2 else format_v1.build_state)
    params = {k: reader.decode(v, k) for k, v in document["params"].items()}
    params = {**PARAMETERS_ADDED, **params}
    if version == 1:
        state = {k: reader.decode(v, k) for k, v in document["state"].items()}
        return params, format_v1.upgrade(params, state)
    if set(document["model"]) != _MODEL_FIELDS:
        raise ModelFileError(
            f"its model holds {sorted(document['model'])}, not {sorted(_MODEL_FIELDS)}"
        )
    return params, {k: reader.decode(v, k) for k, v in document["model"].items()}


def read_model(
    path: str | os.PathLike, *, param_names: set[str], device: torch.device | None
) -> tuple[dict, FittedVAE]:
    """Read a model file: the estimator's parameters and its fitted model.

    Parameters
    ----------
    path : str or path-like
        The model file.
    param_names : set of str
        The parameters the estimator has; a file with others is refused.
    device : torch.device or None
        Where to put the network; ``None`` for the device it was fitted on when this
        machine has it, else the CPU (with a warning).

    Raises
    ------
    ModelFileError
        If the file is not a model file, is damaged, too new, or inconsistent.
    """
    path = Path(path)
    manifest, document, arrays = _read_members(path)
    try:
        params, state = _model_state(manifest, document, arrays)
        unknown = set(params) ^ set(param_names)
        if unknown:
            raise ModelFileError(
                f"its parameters differ from this VAEAugmenter's in {sorted(unknown)}; it "
                f"was written by vae_augment {manifest.get('library_version', '?')}"
            )
        fitted_on = state["device"]
        if not isinstance(fitted_on, torch.device):
            raise ModelFileError(f"device is {fitted_on!r}, not a device")
        model = FittedVAE.__new__(FittedVAE)
        model.__setstate__({**state, "device": torch.device("cpu")})
    except ModelFileError as error:
        raise ModelFileError(f"{path} cannot be loaded: {error}.") from None
    except _MALFORMED as error:
        raise ModelFileError(f"{path} has inconsistent content: {error!r}") from None
    # Outside the try: running out of GPU memory here is no damaged file.
    model.to(available_device(fitted_on) if device is None else device)
    return params, model


def read_table_columns(path: str | os.PathLike) -> list[str] | None:
    """The training table's column names in its order, as :func:`write_model` got them.

    Returns
    -------
    list of str or None
        ``None`` for a file written without them (by :meth:`VAEAugmenter.save`, or
        before vae_augment recorded them).

    Raises
    ------
    ModelFileError
        If the file is not a model file, is damaged, or holds something else than
        distinct names there.
    """
    path = Path(path)
    _, document, _ = _read_members(path)
    names = document.get(_TABLE_COLUMNS) if type(document) is dict else ()
    if names is not None and not (
        type(names) is list
        and all(type(name) is str for name in names)
        and len(set(names)) == len(names)
    ):
        raise ModelFileError(
            f"{path} has inconsistent content: its {_TABLE_COLUMNS} are not a list of "
            "distinct names."
        )
    return names
