"""Reading files of model format 1 (vae_augment 0.1.0) into today's fitted state.

Format 1 named its state classes by module path (``vae_augment._codec:TableCodec``) and
stored the estimator's attributes as they were then: a continuous target was the
codec's last column, named ``__vae_augment_target__``, and the network's shape came
from the estimator's parameters. :func:`upgrade` turns that into the state of a
:class:`~vae_augment.fitting.fitted.FittedVAE`; the rows such a model gives do not change.
"""

from __future__ import annotations

from ..fitting.fitted import TableState
from ..model.latent_prior import LatentMixture
from ..model.layout import BlockLayout
from ..table.codec import ColumnSpec, TableCodec
from ..table.frames import Container
from ..table.quantiles import NormalQuantileMap
from ..table.target import CONTINUOUS, Target
from ..training.stopping import TrainingHistory
from ..utils.checks import check_hidden_dims
from .errors import ModelFileError

#: The manifest's name for the estimator in format 1.
ESTIMATOR = "vae_augment._augmenter:VAEAugmenter"
#: The name format 1 gave a continuous target's column in the codec.
_TARGET_COLUMN = "__vae_augment_target__"

_SPEC_FIELDS = {
    "name",
    "kind",
    "dtype",
    "has_missing",
    "step",
    "origin",
    "upper",
    "scale",
    "time_unit",
    "decimals",
    "levels",
}
#: Format 1's classes: their attributes, and what each becomes.
_CLASSES = {
    "vae_augment._table:Container": ({"is_frame", "array_dtype"}, lambda s: Container(**s)),
    "vae_augment._target:TargetSpec": ({"kind", "dtype", "name", "is_series"}, dict),
    "vae_augment._codec:TableCodec": (
        {"columns_", "numeric_", "categorical_", "quantiles_"},
        dict,
    ),
    # Format 1 kept the minimum as the unit map's origin for every numeric column.
    "vae_augment._codec:ColumnSpec": (
        _SPEC_FIELDS,
        lambda s: ColumnSpec(**s, lower=s["origin"]),
    ),
    "vae_augment._quantiles:NormalQuantileMap": (
        {"references_", "quantiles_", "_floor", "_bounds"},
        lambda s: NormalQuantileMap(s["references_"], s["quantiles_"], s["_floor"]),
    ),
    "vae_augment._model:BlockLayout": (
        {"n_numeric", "category_sizes", "missing_heads", "encoder_blind", "n_classes"},
        lambda s: BlockLayout(**s),
    ),
    "vae_augment._latent_prior:LatentMixture": (
        {"weights", "means", "cholesky"},
        lambda s: LatentMixture(**s),
    ),
}
#: The estimator attributes format 1 stored (``feature_names_in_`` only for some fits).
STATE_KEYS = frozenset(
    {
        "n_features_in_",
        "device_",
        "_container",
        "_target",
        "classes_",
        "class_prior_",
        "_codec",
        "_layout",
        "_module_state",
        "loss_curve_",
        "validation_loss_curve_",
        "best_loss_",
        "best_epoch_",
        "n_iter_",
        "latent_prior_",
    }
)
OPTIONAL_STATE_KEYS = frozenset({"feature_names_in_"})


def build_state(name, state: dict, path: str):
    """Format 1's state object ``name`` with attributes ``state``, in today's terms."""
    entry = _CLASSES.get(name) if isinstance(name, str) else None
    if entry is None:
        raise ModelFileError(
            f"{path} names class {name!r}, which is not a vae_augment state class."
        )
    attributes, build = entry
    if set(state) != attributes:
        raise ModelFileError(
            f"{path} holds attributes {sorted(state)} for {name}, which has "
            f"{sorted(attributes)}."
        )
    return build(state)


def _codec(codec: dict, target: dict | None) -> TableCodec:
    columns = list(codec["columns_"])
    continuous = None
    if target is not None and target["kind"] == CONTINUOUS:
        continuous = columns.pop() if columns else None
        if continuous is None or continuous.name != _TARGET_COLUMN:
            raise ModelFileError("its continuous target is not the codec's last column")
        continuous.name = "y" if target["name"] is None else target["name"]
    return TableCodec(columns, continuous, codec["quantiles_"])


def upgrade(params: dict, state: dict) -> dict:
    """The state of a ``FittedVAE`` from format 1's parameters and attributes.

    Raises
    ------
    ModelFileError
        If the attributes do not fit together (the stored layout, feature count or
        epoch count disagree with what the codec and history give).
    """
    missing = STATE_KEYS - set(state)
    extra = set(state) - STATE_KEYS - OPTIONAL_STATE_KEYS
    if missing or extra:
        raise ModelFileError(
            f"its fitted state lacks {sorted(missing)}"
            if missing
            else f"a fitted VAEAugmenter has no attributes {sorted(extra)}"
        )
    target_spec = state["_target"]
    codec = _codec(state["_codec"], target_spec)
    target = None
    if target_spec is not None:
        target = Target(
            **target_spec, classes=state["classes_"], class_prior=state["class_prior_"]
        )
    table = TableState(state["_container"], state.get("feature_names_in_"), codec, target)
    if BlockLayout.of(codec, table.n_classes) != state["_layout"]:
        raise ModelFileError("its layout does not match its columns")
    if state["n_features_in_"] != table.n_features:
        raise ModelFileError("n_features_in_ does not match its columns")
    history = TrainingHistory(
        list(state["loss_curve_"]),
        list(state["validation_loss_curve_"]),
        state["best_epoch_"],
        state["best_loss_"],
    )
    if state["n_iter_"] != history.n_epochs:
        raise ModelFileError("n_iter_ does not match its loss curve")
    # Format 1 built the network from the parameters saved with it.
    latent_dim = params["latent_dim"]
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int) or latent_dim < 1:
        raise ModelFileError(f"latent_dim is {latent_dim!r}, not a positive integer")
    return {
        "table": table,
        "latent_dim": latent_dim,
        "hidden_dims": check_hidden_dims(params["hidden_dims"]),
        "module": state["_module_state"],
        "latent_prior": state["latent_prior_"],
        "history": history,
        "device": state["device_"],
    }
