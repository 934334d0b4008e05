"""Column values as the rules compute with them, and back to a column's own dtype."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..kinds import is_time_dtype


def is_number_column(series: pd.Series) -> bool:
    """Whether ``series`` holds plain numbers (integers or floats; no bools or times)."""
    dtype = series.dtype
    if ptypes.is_bool_dtype(dtype) or is_time_dtype(dtype):
        return False
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return ptypes.is_numeric_dtype(dtype) and not ptypes.is_complex_dtype(dtype)


def numbers(series: pd.Series) -> np.ndarray:
    """A number column as a new float64 array, ``NaN`` where missing."""
    values = pd.to_numeric(series, errors="coerce")
    return np.array(values.to_numpy(dtype=np.float64, na_value=np.nan), copy=True)


def whole(values: np.ndarray) -> bool:
    """Whether every observed value is a whole number."""
    observed = values[~np.isnan(values)]
    return bool(np.all(observed == np.round(observed)))


def as_dtype(values: np.ndarray, dtype, *, decimals: int | None = None) -> pd.Series:
    """Computed values (float64 with ``NaN`` where missing, or any other array) as a
    column of ``dtype``: whole numbers for integer dtypes, ``decimals`` for floats."""
    if values.dtype.kind == "f":
        if ptypes.is_integer_dtype(dtype):
            values = np.rint(values)
        elif decimals is not None:
            values = np.round(values, decimals)
        if ptypes.is_object_dtype(dtype):
            missing = np.isnan(values)
            exact = np.where(missing, 0.0, values)
            out = (exact.astype(np.int64) if whole(values) else values).astype(object)
            out[missing] = np.nan
            return pd.Series(out, dtype=object)
    return pd.Series(values).astype(dtype)


def typed_column(column: pd.Series, spec) -> pd.Series:
    """A computed column (float64 numbers or objects) in the user's dtype of ``spec``."""
    if column.dtype == spec.dtype:
        return column
    values = column.to_numpy()
    if values.dtype == object and spec.kind == "numeric" and spec.time_unit is None:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
    return as_dtype(values, spec.dtype, decimals=spec.decimals).set_axis(column.index)


def snap(value: float, denominator: int = 1000, closeness: float = 1e-7) -> float:
    """``value`` as the simple fraction it is within ``closeness`` (relative to
    ``max(1, |value|)``): ``0.08333333`` is 1/12."""
    fraction = Fraction(value).limit_denominator(denominator)
    close = abs(float(fraction) - value) <= closeness * max(1.0, abs(value))
    return float(fraction) if close else float(value)
