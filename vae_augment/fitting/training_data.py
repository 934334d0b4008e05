"""The rows a fit trains on: a table in memory or Parquet data streamed from disk.

Both give a :class:`TrainingData`: what fit learned about the table, this process's
training batches and validation rows, the rows the latent prior is fitted to, and the
seed of the weights. With several training processes, process 0 learns the columns and
splits the rows, and the others take its choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.model_selection import train_test_split

from ..model.tensors import TensorTable
from ..table.codec import TableCodec
from ..table.frames import Container, as_frame, feature_names
from ..table.parquet import MAX_TRACKED_LEVELS, ParquetTable, Scan, is_parquet_source
from ..table.structure.learn import learn_structure
from ..table.target import CLASSES, Target, fit_target
from ..training.batches import Batches, ShuffledBatches
from ..training.distributed import Processes
from ..training.streaming import StreamedBatches
from ..utils.seeds import new_seed
from .fitted import TableState
from .settings import Settings

#: Fewest validation rows worth monitoring; with fewer, the training loss is monitored.
MIN_VALIDATION_ROWS = 10


@dataclass
class TrainingData:
    """What a fit trains on (see the module docstring).

    ``n_rows`` and ``n_validation`` count the rows of all processes.
    """

    table: TableState
    batches: Batches
    validation: TensorTable | None
    prior_rows: TensorTable | None
    seed: int
    n_rows: int
    n_validation: int


def _batch_size(settings: Settings, n_train: int, processes: Processes) -> int:
    """Rows per step on this process (``batch_size`` counts all processes' rows).

    More processes thus take the same steps as one, each step faster.
    """
    if settings.batch_size == "auto":
        size = min(256, max(16, n_train // 10), n_train)
    else:
        size = min(settings.batch_size, n_train)
    return max(1, -(-size // processes.world_size))


def _split(
    settings: Settings, n_rows: int, labels, rng
) -> tuple[np.ndarray, np.ndarray | None]:
    """Training and validation row indices (no validation for tiny tables)."""
    n_validation = int(np.floor(settings.validation_fraction * n_rows))
    rows = np.arange(n_rows)
    if n_validation < MIN_VALIDATION_ROWS or n_rows - n_validation < 2:
        return rows, None
    stratify = None
    if labels is not None:
        counts = np.bincount(labels)
        if counts.min() >= 2 and n_validation >= len(counts):
            stratify = labels
    train_rows, validation_rows = train_test_split(
        rows, test_size=n_validation, random_state=new_seed(rng), stratify=stratify
    )
    return np.sort(train_rows), np.sort(validation_rows)


def memory_data(
    settings: Settings, X, y, rng, processes: Processes, device: torch.device
) -> TrainingData:
    """Training data from a table in memory (every process holds all of it)."""
    frame, container = as_frame(X)
    names = feature_names(frame, container)
    if len(frame) < 2:
        raise ValueError("VAEAugmenter needs at least 2 rows to fit; got n_samples = 1.")
    target = continuous = labels = None
    if y is not None:
        target, continuous, labels = fit_target(y, len(frame), settings.target_type)
    codec, (train_rows, validation_rows), seed = processes.first_computes(
        lambda: (
            _codec(settings, frame, continuous),
            _split(settings, len(frame), labels, rng),
            new_seed(rng),
        )
    )
    table = TableState(container, names, codec, target)
    rows = TensorTable.from_encoded(codec.encode(frame, continuous), labels, device)

    def share_of(indices: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(
            indices[processes.rank :: processes.world_size], device=device
        )

    # Drawn from the whole table by index: a copy of the training share would hold
    # the encoded rows twice for as long as training lasts.
    batches = ShuffledBatches(
        rows,
        _batch_size(settings, len(train_rows), processes),
        rows=share_of(train_rows),
    )
    validation = None if validation_rows is None else rows.rows(share_of(validation_rows))
    prior_rows = rows if processes.rank == 0 else None
    n_validation = 0 if validation_rows is None else len(validation_rows)
    return TrainingData(
        table, batches, validation, prior_rows, seed, len(frame), n_validation
    )


def _codec(settings: Settings, frame, continuous) -> TableCodec:
    """The codec of the training rows, with the structure they show."""
    return TableCodec.fit(
        frame,
        continuous,
        lambda rows: learn_structure(rows, settings.column_kinds, settings.rules),
    )


def _prior_sample(scan: Scan, target: Target | None):
    """The rows the latent prior is fitted to: the codec sample's uniform rows.

    Extra rows (rare levels, extremes) would over-represent what is rare; they are
    added only for a class the uniform rows miss, which needs codes of its own.
    """
    keep = np.arange(len(scan.sample)) < scan.n_uniform
    if target is not None and target.kind == CLASSES:
        uniform_classes = scan.sample_target.iloc[: scan.n_uniform].unique()
        keep |= ~scan.sample_target.isin(uniform_classes).to_numpy()
    rows = scan.sample[keep].reset_index(drop=True)
    if scan.sample_target is None:
        return rows, None
    return rows, scan.sample_target[keep].reset_index(drop=True)


def _classes_over_all_rows(target: Target, class_counts: dict | None, column) -> Target:
    """Classes and their frequencies from the counts over every row of the data.

    The codec sample holds every class of a text or integer target, but a float
    column of class labels (0.0 / 1.0) may have classes outside it.
    """
    if class_counts is None:
        raise ValueError(
            f"y={column!r} looks like class labels in a sample of the data but has "
            f"more than {MAX_TRACKED_LEVELS:,} distinct values over all rows; pass "
            "target_type='continuous' to model it as a number."
        )
    if any(label is None or label != label for label in class_counts):  # NaN
        raise ValueError(
            f"y={column!r} has missing values; drop or fill those rows before fitting."
        )
    return target.with_class_counts(class_counts)


def _learn_from_scan(settings: Settings, scan: Scan) -> TableState:
    """What fit learns about the table from the codec sample of Parquet data."""
    container = Container(is_frame=True)
    names = feature_names(scan.sample, container)
    target = continuous = None
    if scan.sample_target is not None:
        target, continuous, _ = fit_target(
            scan.sample_target, len(scan.sample), settings.target_type
        )
        if target.kind == CLASSES:
            target = _classes_over_all_rows(
                target, scan.class_counts, scan.sample_target.name
            )
    return TableState(container, names, _codec(settings, scan.sample, continuous), target)


def parquet_data(
    settings: Settings, X, y, rng, processes: Processes, device: torch.device
) -> TrainingData:
    """Training data streamed from Parquet (see :mod:`vae_augment.table.parquet`).

    Process 0 reads the data once for the codec sample and the validation rows; then
    every process streams its own share of the row groups.
    """
    source = ParquetTable(X, y)
    if source.n_rows < 2:
        raise ValueError(
            f"VAEAugmenter needs at least 2 rows to fit; X has {source.n_rows}."
        )
    rate = source.validation_rate(settings.validation_fraction, MIN_VALIDATION_ROWS)
    prior_rows = None

    def plan():
        nonlocal prior_rows
        scan_seed = new_seed(rng)
        scan = source.scan(scan_seed, rate)
        table = _learn_from_scan(settings, scan)
        prior_rows = table.tensors(*_prior_sample(scan, table.target), device)
        validation = None
        # The draw may give a few rows fewer than planned: too few, no validation.
        if len(scan.validation) >= MIN_VALIDATION_ROWS:
            validation = table.tensors(scan.validation, scan.validation_target, "cpu")
        return table, validation, scan_seed, new_seed(rng)

    table, validation, scan_seed, seed = processes.first_computes(plan)
    n_train = round(source.n_rows * (1 - rate))
    batches = StreamedBatches(
        source,
        encode=lambda frame, target: table.tensors(frame, target, device),
        seed=scan_seed,
        validation_rate=rate,
        batch_size=_batch_size(settings, n_train, processes),
        rank=processes.rank,
        world_size=processes.world_size,
    )
    n_validation = 0
    if validation is not None:
        n_validation = len(validation)
        shares = torch.arange(processes.rank, len(validation), processes.world_size)
        validation = validation.rows(shares).to(device)
    return TrainingData(
        table, batches, validation, prior_rows, seed, source.n_rows, n_validation
    )


def training_data(
    settings: Settings, X, y, rng, processes: Processes, device: torch.device
) -> TrainingData:
    """:func:`parquet_data` for a Parquet path or dataset, else :func:`memory_data`."""
    read = parquet_data if is_parquet_source(X) else memory_data
    return read(settings, X, y, rng, processes, device)
