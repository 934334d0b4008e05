"""What a fit logs before training: the table it learned and where it trains.

INFO records of the ``vae_augment`` logger, from process 0 only (as the progress bar);
how training ended is logged by :mod:`vae_augment.training.reporting`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import torch

from ..table.structure.schema import TableSchema
from ..table.target import CLASSES
from ..training.distributed import Processes
from .fitted import TableState
from .training_data import TrainingData

logger = logging.getLogger(__name__)

#: Most names a record lists of one column type or of the classes.
MAX_NAMES = 10


def _listing(names: Sequence) -> str:
    """``a, b, c``, cut after :data:`MAX_NAMES` names with how many more there are."""
    shown = ", ".join(str(name) for name in names[:MAX_NAMES])
    more = len(names) - MAX_NAMES
    return shown if more <= 0 else f"{shown}, ... ({more} more)"


def _target(table: TableState) -> str:
    target = table.target
    if target is None:
        return "No target: a model of the columns alone."
    name = "y" if target.name is None else repr(target.name)
    if target.kind == CLASSES:
        classes = [repr(label) for label in target.classes.tolist()]
        return f"Target {name}: {len(classes)} classes ({_listing(classes)})."
    return f"Target {name}: continuous, modelled jointly with the columns."


def log_fit(data: TrainingData, device: torch.device, processes: Processes) -> None:
    """Log the table's shape, its columns by type, the target and the device (INFO)."""
    if processes.rank != 0 or not logger.isEnabledFor(logging.INFO):
        return
    table = data.table
    on = str(device)
    if processes.is_distributed:
        on += f" (process 0 of {processes.world_size})"
    validation = (
        f"{data.n_validation} rows held out for validation"
        if data.n_validation
        else "no validation rows: early stopping watches the training loss"
    )
    logger.info(
        "Fitting %d rows x %d columns on %s; %s.",
        data.n_rows,
        table.n_features,
        on,
        validation,
    )
    schema = TableSchema(table.codec)
    logger.info(
        "Columns: %s.",
        "; ".join(
            f"{kind} ({len(names)}): {_listing(names)}"
            for kind, names in schema.by_type().items()
        ),
    )
    if schema.rules:
        logger.info(
            "Rules: %d found, %d enforced: %s.",
            len(schema.rules),
            len(schema.enforced),
            "; ".join(rule.describe() for rule in schema.enforced[:10])
            + ("; ..." if len(schema.enforced) > 10 else ""),
        )
    logger.info(_target(table))
