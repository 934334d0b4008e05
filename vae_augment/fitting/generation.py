"""Generating rows from a :class:`~.fitted.FittedVAE`: in memory or frame by frame.

``sample`` and ``sample_to_parquet`` (and Dask's partitions, through ``sample``) share
one generator of frames, so a seed gives the same rows whatever the frame size: the
inference chunks are the same and frames are groups of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd
import torch

from ..model.class_acceptance import accepted_rows
from ..model.inference import chunked
from ..table.class_requests import requested_runs, rows_per_run
from ..table.io import write_parquet_frames
from ..table.target import CONTINUOUS
from ..utils.checks import check_positive_int
from ..utils.memory import physical_memory
from ..utils.seeds import new_seed, torch_generator
from .conditioning import N_PROPOSALS, Condition, condition_of, conditional_step
from .fitted import FittedVAE

Runs = tuple[np.ndarray, np.ndarray]

#: ``sample`` refuses rows that would take more than this share of the machine's memory.
MEMORY_SHARE = 0.5
#: Bytes a cell of text (or another object) takes, roughly: a pointer and a short string.
_OBJECT_CELL_BYTES = 64


def _bytes_per_row(fitted: FittedVAE) -> int:
    """About how many bytes a generated row takes in memory, on its way out included.

    The frame's cells, plus the model's blocks they are decoded from (float32 numbers,
    int64 codes), held at the same time while decoding.
    """
    codec = fitted.table.codec
    cells = sum(
        getattr(spec.dtype, "itemsize", 0) or _OBJECT_CELL_BYTES
        for spec in [*codec.columns, *([codec.target] if codec.target else [])]
    )
    return cells + 4 * len(codec.numeric) + 8 * len(codec.categorical) + 8


def _check_fits_in_memory(fitted: FittedVAE, n_rows: int) -> None:
    """Refuse, before any work, rows that ``sample`` could not hold in memory."""
    needed = n_rows * _bytes_per_row(fitted)
    available = physical_memory()
    if needed > MEMORY_SHARE * available:
        raise MemoryError(
            f"sample() of {n_rows:,} rows would need about {needed / 2**30:,.1f} GiB, "
            f"more than half of this machine's {available / 2**30:,.1f} GiB of memory. "
            "Write them to a file with sample_to_parquet(path, n_samples) or make a Dask "
            "DataFrame with vae_augment.dask_sample: both generate a part at a time."
        )


def _requested_runs(fitted: FittedVAE, n_samples: int | None, y) -> Runs | None:
    """The classes ``y`` asks for as runs: class indices and where each run ends."""
    if not fitted.table.n_classes:
        if y is not None:
            raise ValueError(
                "y can only be given to sample() when the model was fitted with class "
                "labels."
            )
        return None
    if y is None:
        return None
    index, counts = requested_runs(y, n_samples, fitted.table.target.classes)
    return index, np.cumsum(counts)


def _chunk_labels(fitted: FittedVAE, runs: Runs | None, rows: slice, rng):
    """Class index of each row of an inference chunk (None without classes)."""
    target = fitted.table.target
    if not fitted.table.n_classes:
        return None
    size = rows.stop - rows.start
    if runs is None:
        return rng.choice(target.n_classes, size=size, p=target.class_prior)
    index, ends = runs
    which, counts = rows_per_run(ends, rows.start, rows.stop)
    return np.repeat(index[which], counts)


def _decoded(
    fitted: FittedVAE, numeric, codes, labels, *, given, first_row, rng
) -> tuple[pd.DataFrame, object]:
    frame, continuous = fitted.table.codec.decode(
        np.concatenate(numeric),
        np.concatenate(codes),
        given=given,
        first_row=first_row,
        rng=rng,
    )
    target = fitted.table.target
    y_new = None
    if target is not None and target.kind == CONTINUOUS:
        y_new = target.wrap(continuous)
    elif labels:
        y_new = target.wrap(target.classes[np.concatenate(labels)])
    return frame, y_new


def generated_frames(
    fitted: FittedVAE,
    n_samples: int | None,
    y,
    rng,
    *,
    frame_rows: int | None,
    given=None,
) -> Iterator[tuple[pd.DataFrame, object]]:
    """Generated rows as (frame, targets) pairs of about ``frame_rows`` rows each.

    ``frame_rows=None`` gives one pair with all rows. Arguments are checked here,
    before the first row is generated.

    Parameters
    ----------
    fitted : FittedVAE
        The model.
    n_samples : int or None
        Number of rows (defaults to what ``y`` or ``given`` asks for, or 1).
    y : array-like of labels, dict {label: count} or None
        The classes of the rows (see ``VAEAugmenter.sample``).
    rng : RandomState
        Source of the class draws and of the torch generator's seed.
    frame_rows : int or None
        Rows per frame (rounded up to whole inference chunks); ``None`` for all rows
        in one frame, refused (``MemoryError``) when they would take more than
        ``MEMORY_SHARE`` of the machine's memory.
    given : dict, DataFrame, Condition or None, default=None
        Cells to fix (see :mod:`.conditioning`); a ``Condition`` is used unchecked.

    Returns
    -------
    iterator of (DataFrame, targets)
        Frames with a fresh ``RangeIndex`` and their targets (``None`` without a
        target).
    """
    if n_samples is not None:
        check_positive_int(n_samples, "n_samples")
    if isinstance(given, Mapping) and not given:  # nothing fixed
        given = None
    if isinstance(given, pd.DataFrame) and n_samples is None and y is None:
        if len(given) == 0:
            raise ValueError("given has no rows; give one row per row to generate.")
        n_samples = len(given)
    runs = _requested_runs(fitted, n_samples, y)
    n_rows = (n_samples or 1) if runs is None else int(runs[1][-1])
    condition = given
    if given is not None and not isinstance(given, Condition):
        condition = condition_of(fitted, given, n_rows)
    if frame_rows is None:
        _check_fits_in_memory(fitted, n_rows)
    generator = torch_generator(rng, fitted.device)
    structure = fitted.table.codec.structure
    # Keys and agreeing cells draw from their own stream, so that a table without
    # them samples exactly as before.
    restore_rng = None
    if structure is not None and structure.draws(given=condition is not None):
        restore_rng = np.random.RandomState(new_seed(rng))
    return _frames(
        fitted, n_rows, runs, condition, rng, generator, frame_rows or n_rows, restore_rng
    )


def _frames(
    fitted: FittedVAE, n_rows, runs, condition, rng, generator, frame_rows, restore_rng
):
    labels: list[np.ndarray] = []
    device = fitted.device

    def step(rows: slice):
        if condition is not None:
            # Without y, a conditional model's classes follow the fixed cells.
            given_labels = None if runs is None else _chunk_labels(fitted, runs, rows, rng)
            numeric, codes, drawn = conditional_step(
                fitted, condition, rows, given_labels, generator
            )
            if drawn is not None:
                labels.append(drawn)
            return numeric, codes
        chunk_labels = _chunk_labels(fitted, runs, rows, rng)
        if chunk_labels is None:
            groups = torch.zeros(rows.stop - rows.start, dtype=torch.long, device=device)
            return fitted.module.generate(
                fitted.latent_prior.sample(groups, generator), None, generator
            )
        labels.append(chunk_labels)
        groups = torch.as_tensor(chunk_labels, device=device)

        def propose(index: torch.Tensor):
            z = fitted.latent_prior.sample(groups[index], generator)
            return fitted.module.generate(z, groups[index], generator)

        return accepted_rows(fitted.module, groups, propose, generator)

    numeric, codes, done, start = [], [], 0, 0
    passes = 1 if condition is None else N_PROPOSALS
    for values, levels in chunked(fitted.module, n_rows, step, passes):
        numeric.append(values)
        codes.append(levels)
        done += len(values)
        if sum(len(c) for c in codes) >= frame_rows or done == n_rows:
            given = None if condition is None else condition.rows(slice(start, done))
            frame, y_new = _decoded(
                fitted,
                numeric,
                codes,
                labels,
                given=given,
                first_row=start,
                rng=restore_rng,
            )
            yield frame, y_new
            start = done
            numeric, codes = [], []
            labels.clear()


def sample_to_parquet(
    fitted: FittedVAE,
    path,
    n_samples: int | None,
    y,
    rng,
    *,
    row_group_rows: int,
    given=None,
) -> None:
    """Write :func:`generated_frames`' rows (the target last) to a Parquet file.

    Raises
    ------
    ValueError
        If the target's name is also a column's name.
    """
    check_positive_int(row_group_rows, "row_group_rows")
    target = fitted.table.target
    name = None
    if target is not None:
        name = "target" if target.name is None else target.name
        if name in fitted.table.codec.names:
            raise ValueError(
                f"The target's name {name!r} is also a column of X; fit with a target "
                "Series of another name to write both."
            )
    frames = (
        # concat, not assign: a target's name need not be a string (X.pop(3)).
        frame
        if y_part is None
        else pd.concat([frame, pd.Series(y_part, name=name)], axis=1)
        for frame, y_part in generated_frames(
            fitted, n_samples, y, rng, frame_rows=int(row_group_rows), given=given
        )
    )
    write_parquet_frames(frames, path)
