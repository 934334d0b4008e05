"""Categorical columns: levels learned in fit, one integer code per cell, and back."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..utils.user_warnings import warn_user
from ..utils.warning_types import DataWarning
from .frames import column_label


def learn_levels(series: pd.Series, name: Hashable) -> np.ndarray:
    """Distinct non-missing values of a categorical column, in a stable order."""
    observed = series[series.notna()]
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = set(observed.cat.codes.unique())
        return np.asarray(
            [c for i, c in enumerate(series.dtype.categories) if i in present], dtype=object
        )
    try:
        unique = pd.unique(observed.to_numpy(dtype=object))
    except TypeError as error:
        # "argument must be ... string ... number" is what sklearn's check_dtype_object
        # looks for in this error.
        raise TypeError(
            f"{column_label(name)} holds unhashable values ({error}); each cell's "
            "argument must be a string or a number (or another hashable scalar)."
        ) from None
    try:
        return np.asarray(sorted(unique), dtype=object)
    except TypeError:  # mixed types that do not compare: keep order of appearance
        return np.asarray(unique, dtype=object)


def encode_levels(series: pd.Series, spec) -> np.ndarray:
    """Level index of every cell; ``-1`` where missing.

    A value never seen in fit is treated as missing (so that reconstruction imputes it),
    with a warning naming the column.
    """
    try:
        codes = pd.Index(spec.levels).get_indexer(series.astype(object))
    except TypeError as error:
        raise TypeError(
            f"{column_label(spec.name)} holds unhashable values ({error})."
        ) from None
    unseen = (codes == -1) & series.notna().to_numpy()
    if unseen.any():
        examples = pd.unique(series[unseen].astype(object))[:5]
        warn_user(
            f"{column_label(spec.name)} has {int(unseen.sum())} value(s) never "
            f"seen in fit (e.g. {list(examples)}); they are treated as missing.",
            DataWarning,
        )
    return codes


def decode_levels(codes: np.ndarray, spec):
    """Level indices (``-1`` = missing) back to the column's values and dtype."""
    missing = codes < 0
    if isinstance(spec.dtype, pd.CategoricalDtype):
        positions = spec.dtype.categories.get_indexer(spec.levels)
        return pd.Categorical.from_codes(
            np.where(missing, -1, positions[np.maximum(codes, 0)]), dtype=spec.dtype
        )
    if not isinstance(spec.dtype, np.dtype):
        # The levels converted once and taken: converting a million taken levels (as
        # Python strings, say) costs several times more.
        levels = pd.array(spec.levels, dtype=spec.dtype)
        return levels.take(np.where(missing, -1, codes), allow_fill=True)
    values = spec.levels[np.maximum(codes, 0)]
    if missing.any():
        values[missing] = np.nan if ptypes.is_object_dtype(spec.dtype) else None
    return values.astype(spec.dtype, copy=False)
