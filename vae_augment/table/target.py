"""The optional target ``y``: class labels to condition on, or a continuous column.

A classification target (binary or multiclass, as
:func:`sklearn.utils.multiclass.type_of_target` decides, except integers of many distinct
values: see :func:`validate_target`) makes the VAE conditional. A continuous target is
modelled jointly with ``X`` as one more numeric column of the codec that the encoder never
sees.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target

from ..utils.checks import require
from ..utils.user_warnings import warn_user
from ..utils.warning_types import TargetTypeWarning
from .frames import pandas_view
from .polars_frames import is_polars, pandas_to_polars_series

CLASSES = "classes"
CONTINUOUS = "continuous"
#: An integer target with more distinct values than this, and more than
#: ``MIN_DISTINCT_FRACTION`` of its rows distinct, is read as a number (a price, a
#: count), not as class labels.
MAX_AUTO_CLASSES = 20
MIN_DISTINCT_FRACTION = 0.05


@dataclass(frozen=True, eq=False)
class Target:
    """What fit learned of ``y``: its kind, how it was given, and its classes.

    Parameters
    ----------
    kind : {"classes", "continuous"}
        Conditioning labels or a jointly modelled numeric column.
    dtype : dtype
        The dtype of ``y`` in fit.
    name : hashable or None
        The Series name, when ``y`` was a Series.
    is_series : bool
        Whether ``y`` was a Series (pandas or polars).
    classes : ndarray or None, default=None
        The sorted class labels (``"classes"`` only).
    class_prior : ndarray or None, default=None
        The frequency of each class in fit (``"classes"`` only).
    is_polars : bool, default=False
        Whether the Series was a polars one (``dtype`` is then its pandas equivalent).
    """

    kind: str
    dtype: object
    name: object
    is_series: bool
    classes: np.ndarray | None = None
    class_prior: np.ndarray | None = None
    # Added after format 2, with a default: older files and pickles lack it.
    is_polars: bool = False

    def validate(self) -> None:
        """Check that the classes and their frequencies fit together.

        Raises
        ------
        ValueError
            If they do not (a model file may be crafted).
        """
        require(self.kind in (CLASSES, CONTINUOUS), f"the target has kind {self.kind!r}")
        require(
            self.is_series or not self.is_polars, "the target is polars but not a Series"
        )
        if self.kind == CONTINUOUS:
            require(self.classes is None, "a continuous target has classes")
            return
        classes, prior = self.classes, self.class_prior
        require(
            isinstance(classes, np.ndarray) and classes.ndim == 1 and len(classes) > 0,
            "the target has no classes",
        )
        require(len(pd.unique(classes)) == len(classes), "the target's classes repeat")
        require(
            isinstance(prior, np.ndarray)
            and prior.shape == classes.shape
            and (prior >= 0).all()
            and np.isclose(prior.sum(), 1.0),
            "the class frequencies do not fit the classes",
        )

    @property
    def n_classes(self) -> int:
        """Number of classes the model is conditioned on (0 for a continuous target)."""
        return 0 if self.classes is None else len(self.classes)

    def with_class_counts(self, counts: dict) -> Target:
        """The same target with classes and frequencies from ``{label: rows}``.

        The labels are merged with the classes already known (a sample of the data may
        lack some of them).
        """
        labels = np.asarray(list(counts), dtype=self.classes.dtype)
        classes = np.unique(np.concatenate([self.classes, labels]))
        rows = np.array([counts[c] for c in classes], dtype=np.float64)
        return replace(self, classes=classes, class_prior=rows / rows.sum())

    def wrap(self, values: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
        """Give generated targets back as ``y`` was given in fit."""
        if not self.is_series:
            return np.asarray(values).astype(self.dtype, copy=False)
        series = pd.Series(values, name=self.name, dtype=self.dtype)
        return pandas_to_polars_series(series) if self.is_polars else series


def validate_target(y, n_rows: int, target_type: str = "auto") -> tuple[Target, pd.Series]:
    """Check ``y`` against ``X`` and decide whether it is classes or continuous.

    Parameters
    ----------
    y : array-like, Series or single-column DataFrame
        The target (a one-column DataFrame is taken as a Series of that name), pandas
        or polars.
    n_rows : int
        Number of rows of ``X``.
    target_type : {"auto", "classes", "continuous"}, default="auto"
        ``"auto"`` follows :func:`~sklearn.utils.multiclass.type_of_target`, except for
        whole numbers with more than ``MAX_AUTO_CLASSES`` (20) distinct values that are
        also more than ``MIN_DISTINCT_FRACTION`` (5 %) of the rows: those are continuous
        (a price, a count); with more than 20 distinct values that are fewer than 5 % of
        the rows they stay classes, with a warning. The others force the kind.

    Returns
    -------
    target : Target
        Its kind and how it was given (without classes: see :func:`fit_target`).
    values : Series
        ``y`` as a Series with a fresh ``RangeIndex``.

    Raises
    ------
    ValueError
        For a ``y`` that is not 1-D, has another length than ``X``, holds missing values,
        or is of a kind that cannot be modelled (multi-output, unknown label type).
    """
    from_polars = is_polars(y)
    y = pandas_view(y, "y")
    # A one-column DataFrame is given back as a Series named after its column.
    is_series = isinstance(y, (pd.Series, pd.DataFrame))
    values = _one_dimensional(y)
    name = values.name if is_series else None
    series = _checked_series(values, n_rows)
    # Give generated targets back with the dtype of y as the user passed it.
    dtype = series.dtype if is_series else np.asarray(values).dtype
    if target_type == CONTINUOUS:
        series = _as_continuous(series)
        dtype = series.dtype
        kind = CONTINUOUS
    else:
        kind = CLASSES if target_type == CLASSES else _inferred_kind(series)
    return Target(kind, dtype, name, is_series, is_polars=from_polars), series


def _one_dimensional(y) -> np.ndarray | pd.Series:
    """``y`` as a 1-D array or Series (a single column taken out of its table)."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"y must be 1-D; got a DataFrame with {y.shape[1]} columns.")
        y = y.iloc[:, 0]
    values = y if isinstance(y, pd.Series) else np.asarray(y)
    if getattr(values, "ndim", 1) == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if getattr(values, "ndim", 1) != 1:
        raise ValueError(
            f"y must be 1-D (one target per row); got an array of shape {np.shape(values)}."
        )
    # infer_dtype runs in C; only "mixed" columns can hold sequences.
    if (
        pd.api.types.is_object_dtype(values.dtype)
        and pd.api.types.infer_dtype(values, skipna=True) == "mixed"
        and any(isinstance(v, (tuple, list, set, dict, np.ndarray)) for v in values)
    ):
        raise ValueError(
            "y holds sequences (tuples, lists, ...): VAEAugmenter models one target per "
            "row, a class label or a number; multi-label targets are not supported."
        )
    return values


def _checked_series(values: np.ndarray | pd.Series, n_rows: int) -> pd.Series:
    """``values`` as a Series with a fresh index, checked for length, NaN and infinity."""
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
    return series


def _as_continuous(series: pd.Series) -> pd.Series:
    """A target forced to be continuous, as integers or float64 numbers."""
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
    return series


def _inferred_kind(series: pd.Series) -> str:
    """``CLASSES`` or ``CONTINUOUS``, as :func:`type_of_target` decides for ``series``."""
    with np.errstate(invalid="ignore"):  # its integer check casts values like 1e300
        target_type = type_of_target(series.to_numpy(), input_name="y")
    if target_type == "binary":
        return CLASSES
    if target_type == "multiclass":
        return _classes_or_numbers(series)
    if target_type == "continuous":
        return CONTINUOUS
    if target_type == "unknown":
        raise ValueError(
            f"Unknown label type: y of dtype {series.dtype} cannot be modelled."
        )
    raise ValueError(
        f"y is {target_type}; VAEAugmenter models a single target (class labels or "
        "one continuous column)."
    )


def many_whole_numbers(n_distinct: int, n_rows: int) -> bool | None:
    """Whether whole numbers that :func:`type_of_target` calls multiclass are numbers.

    ``False`` for few distinct values (labels 0-9, a rating), ``True`` for more than
    ``MAX_AUTO_CLASSES`` that are also more than ``MIN_DISTINCT_FRACTION`` of the rows
    (one class per price would be thousands of classes), ``None`` in between (30
    codes in 1,000 rows could be either).
    """
    if n_distinct <= MAX_AUTO_CLASSES:
        return False
    return True if n_distinct > MIN_DISTINCT_FRACTION * n_rows else None


def _classes_or_numbers(series: pd.Series) -> str:
    """``CLASSES`` or ``CONTINUOUS`` for a multiclass ``series`` (see
    :func:`many_whole_numbers`); labels that are text stay classes."""
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(
        series.dtype
    ):
        return CLASSES
    n_distinct = series.nunique()
    numbers = many_whole_numbers(n_distinct, len(series))
    if numbers is not None:
        return CONTINUOUS if numbers else CLASSES
    warn_user(
        f"y holds {n_distinct} distinct whole numbers in {len(series)} rows; they are "
        "modelled as class labels (a conditional VAE with one class each). Pass "
        "target_type='continuous' if y is a number (a count, a price), or "
        "target_type='classes' to silence this warning.",
        TargetTypeWarning,
    )
    return CLASSES


#: Rows from which class labels that differ in every row are taken for a key column.
KEY_ROWS = 30


def fit_target(
    y, n_rows: int, target_type: str = "auto"
) -> tuple[Target, pd.Series | None, np.ndarray | None]:
    """Learn ``y``: a :class:`Target`, plus what the model is fitted on.

    Parameters
    ----------
    y : array-like, Series or single-column DataFrame
        The target.
    n_rows : int
        Number of rows of ``X``.
    target_type : {"auto", "classes", "continuous"}, default="auto"
        See :func:`validate_target`.

    Returns
    -------
    target : Target
        With its classes and their frequencies for class labels.
    values : Series or None
        A continuous target's values (numpy dtype), for the codec; ``None`` for classes.
    labels : ndarray of int or None
        Each row's index into ``target.classes``; ``None`` for a continuous target.
    """
    target, values = validate_target(y, n_rows, target_type)
    if target.kind == CONTINUOUS:
        return target, pd.Series(values.to_numpy(), name=target.name), None
    classes, labels = np.unique(values.to_numpy(), return_inverse=True)
    is_auto = target_type == "auto"
    if (
        is_auto
        and len(classes) == len(labels) >= KEY_ROWS
        and classes.dtype.kind not in "fc"
    ):
        raise ValueError(
            f"y has a different value in every one of its {len(labels):,} rows: it looks "
            "like a key (an id), not something to condition on; give another target, or "
            "keep the column in X, where keys get fresh values."
        )
    prior = np.bincount(labels, minlength=len(classes)) / len(labels)
    return replace(target, classes=classes, class_prior=prior), None, labels
