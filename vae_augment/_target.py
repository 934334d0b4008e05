"""The optional target ``y``: class labels to condition on, or a continuous column.

A classification target (binary or multiclass, as
:func:`sklearn.utils.multiclass.type_of_target` decides) makes the VAE conditional. A
continuous target is modelled jointly with ``X`` as one more numeric column that the
encoder never sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target

CLASSES = "classes"
CONTINUOUS = "continuous"

#: Name of the internal column that holds a continuous target.
TARGET_COLUMN = "__vae_augment_target__"


@dataclass(frozen=True)
class TargetSpec:
    """How ``y`` was given in fit, to validate later labels and give ``y`` back alike.

    Parameters
    ----------
    kind : {"classes", "continuous"}
        Conditioning labels or a jointly modelled numeric column.
    dtype : dtype
        The dtype of ``y`` in fit.
    name : hashable or None
        The Series name, when ``y`` was a Series.
    is_series : bool
        Whether ``y`` was a :class:`pandas.Series`.
    """

    kind: str
    dtype: object
    name: object
    is_series: bool

    def wrap(self, values: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
        """Give generated targets back as ``y`` was given in fit."""
        if self.is_series:
            return pd.Series(values, name=self.name, dtype=self.dtype)
        return np.asarray(values).astype(self.dtype, copy=False)


def validate_target(
    y, n_rows: int, target_type: str = "auto"
) -> tuple[TargetSpec, pd.Series]:
    """Check ``y`` against ``X`` and decide whether it is classes or continuous.

    Parameters
    ----------
    y : array-like, Series or single-column DataFrame
        The target.
    n_rows : int
        Number of rows of ``X``.
    target_type : {"auto", "classes", "continuous"}, default="auto"
        ``"auto"`` follows :func:`~sklearn.utils.multiclass.type_of_target`; the others
        force the kind (a regressor's integer target is continuous, say).

    Returns
    -------
    spec : TargetSpec
    values : Series
        ``y`` as a Series with a fresh ``RangeIndex``.

    Raises
    ------
    ValueError
        For a ``y`` that is not 1-D, has another length than ``X``, holds missing values,
        or is of a kind that cannot be modelled (multi-output, unknown label type).
    """
    is_series = isinstance(y, pd.Series)
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"y must be 1-D; got a DataFrame with {y.shape[1]} columns.")
        y = y.iloc[:, 0]
    name = y.name if is_series else None
    values = y if isinstance(y, pd.Series) else np.asarray(y)
    if getattr(values, "ndim", 1) == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if getattr(values, "ndim", 1) != 1:
        raise ValueError(f"y must be 1-D; got an array of shape {np.shape(values)}.")
    series = pd.Series(values).reset_index(drop=True)
    if len(series) != n_rows:
        raise ValueError(
            f"y has {len(series)} rows but X has {n_rows}; they must have the same length."
        )
    n_missing = int(series.isna().sum())
    if n_missing:
        raise ValueError(
            f"y contains {n_missing} missing value(s) (NaN/None); drop those rows or fill "
            "them in before fitting."
        )
    if pd.api.types.is_float_dtype(series.dtype) and not np.isfinite(series).all():
        raise ValueError("y contains infinity (inf or -inf).")
    # Give generated targets back with the dtype of y as the user passed it.
    dtype = series.dtype if is_series else np.asarray(values).dtype
    if target_type == CONTINUOUS:
        try:
            if pd.api.types.is_bool_dtype(series.dtype):
                raise TypeError("booleans are not a continuous target")
            series = pd.to_numeric(series, errors="raise")
        except (TypeError, ValueError):
            raise ValueError(
                f"Unknown label type: target_type='continuous' needs numbers in y; got "
                f"dtype {series.dtype}."
            ) from None
        # Integer targets (counts, ratings) are generated as integers.
        if not pd.api.types.is_integer_dtype(series.dtype):
            series = series.astype(np.float64)
        return TargetSpec(CONTINUOUS, series.dtype, name, is_series), series
    if target_type == CLASSES:
        return TargetSpec(CLASSES, dtype, name, is_series), series
    with np.errstate(invalid="ignore"):  # its integer check casts values like 1e300
        target_type = type_of_target(series.to_numpy(), input_name="y")
    if target_type in ("binary", "multiclass"):
        kind = CLASSES
    elif target_type == "continuous":
        kind = CONTINUOUS
    elif target_type == "unknown":
        raise ValueError(
            f"Unknown label type: y of dtype {series.dtype} cannot be modelled."
        )
    else:
        raise ValueError(
            f"y is {target_type}; VAEAugmenter models a single target (class labels or "
            "one continuous column)."
        )
    return TargetSpec(kind, dtype, name, is_series), series


def requested_classes(y, n_samples: int | None, classes: np.ndarray) -> np.ndarray:
    """Turn ``sample``'s ``y`` argument into class indices.

    Parameters
    ----------
    y : array-like of labels or dict {label: count}
        Labels of the rows to generate, or how many rows of each class.
    n_samples : int or None
        The requested number of rows; ``None`` means "as many as ``y`` asks for".
    classes : ndarray
        The classes seen in fit, sorted.

    Returns
    -------
    ndarray of int
        Index into ``classes`` for every row to generate.
    """
    return np.repeat(*requested_runs(y, n_samples, classes))


def requested_runs(
    y, n_samples: int | None, classes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`requested_classes` as runs: class indices and how many rows each.

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
