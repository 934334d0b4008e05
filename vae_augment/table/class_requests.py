"""The classes ``sample`` is asked for: labels or ``{label: count}``, as runs of rows."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def requested_runs(
    y, n_samples: int | None, classes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Turn ``sample``'s ``y`` into runs: class indices and how many rows each.

    A dict ``{label: count}`` gives one run per label, without materialising a label
    per row (``sample_to_parquet`` may be asked for a hundred million rows).
    """
    if isinstance(y, (set, frozenset)):
        raise TypeError(
            "y must be a sequence of labels or a dict {label: count}, not a set (sets "
            "have no order and hold each label once)."
        )
    if isinstance(y, Mapping):
        labels = list(y)
        counts = []
        for label in labels:
            count = y[label]
            if (
                isinstance(count, (bool, np.bool_))
                or not isinstance(count, (int, np.integer))
                or count < 0
            ):
                raise ValueError(
                    f"y[{label!r}] must be a non-negative integer count, got {count!r}."
                )
            counts.append(int(count))
        index = class_index(np.asarray(labels, dtype=object), classes)
        counts = np.asarray(counts, dtype=np.int64)
    else:
        index = class_index(np.asarray(y, dtype=object).ravel(), classes)
        counts = np.ones(len(index), dtype=np.int64)
    n_rows = int(counts.sum())
    if n_samples is not None and n_samples != n_rows:
        raise ValueError(
            f"n_samples={n_samples} does not match the {n_rows} rows that y asks for; "
            "pass only y, or make them agree."
        )
    if n_rows == 0:
        raise ValueError("y asks for no rows; request at least one.")
    return index, counts


def rows_per_run(ends: np.ndarray, start: int, stop: int) -> tuple[slice, np.ndarray]:
    """Which consecutive runs rows ``start:stop`` fall in, and how many rows of each.

    ``ends`` holds where each run ends (the cumulative sum of their lengths). Binary
    search keeps the work proportional to the runs in the interval, not to all runs.
    """
    first = int(np.searchsorted(ends, start, side="right"))
    window = ends[first : np.searchsorted(ends, stop, side="left") + 1]
    starts = np.concatenate([[start], window[:-1]])
    counts = np.minimum(window, stop) - np.maximum(starts, start)
    return slice(first, first + len(window)), counts


def class_index(labels: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Index into ``classes`` of every label; unknown labels are an error."""
    index = pd.Index(classes.astype(object)).get_indexer(labels)
    unknown = pd.unique(labels[index < 0])
    if len(unknown):
        raise ValueError(
            f"Unknown class(es) {list(unknown)} in y; the model was fitted on classes "
            f"{list(classes)}."
        )
    return index
