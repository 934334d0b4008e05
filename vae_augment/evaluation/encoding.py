"""Columns as the numbers the scores compute on, encoded alike for every table compared.

* :func:`numbers` -- a numeric column (numbers, datetimes, timedeltas) as floats;
* :func:`shared_codes` -- a categorical column of several tables as integer level codes
  common to all of them;
* :func:`row_keys` -- a hash of each row's values, equal for equal rows of any table;
* :func:`model_frames` -- tables as the features a gradient-boosting model takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..table.kinds import time_zone

#: Code of a missing value in :func:`shared_codes`.
MISSING = -1
#: HistGradientBoosting's native categorical support takes at most this many levels.
MAX_NATIVE_LEVELS = 255

_SECOND = pd.Timedelta(seconds=1)


def numbers(series: pd.Series) -> np.ndarray:
    """A numeric column as float64, NaN where missing.

    Datetimes become seconds since 1970-01-01 (UTC for tz-aware ones) and timedeltas
    seconds, whatever their unit, so that tables holding other units compare.

    Parameters
    ----------
    series : Series
        A column of numbers, datetimes or timedeltas (or objects holding numbers).

    Returns
    -------
    ndarray of shape (n_rows,)
        The values.
    """
    if ptypes.is_datetime64_any_dtype(series.dtype):
        if time_zone(series.dtype) is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        series = series - pd.Timestamp(0)
    if ptypes.is_timedelta64_dtype(series.dtype):
        return (series / _SECOND).to_numpy(dtype=np.float64, na_value=np.nan)
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def shared_codes(columns: Sequence[pd.Series]) -> tuple[list[np.ndarray], int]:
    """One column of several tables as level codes that mean the same in each.

    Levels are the distinct values seen in any of the columns, compared as Python
    objects (so ``"1"`` and ``1`` differ, a category and the same text do not).

    Parameters
    ----------
    columns : sequence of Series
        The same column in each table.

    Returns
    -------
    codes : list of ndarray of int64
        Per table, the code of each row's level; :data:`MISSING` where missing.
    n_levels : int
        Number of levels (codes run from 0 to ``n_levels - 1``).
    """
    values = pd.concat([column.astype(object) for column in columns], ignore_index=True)
    codes, levels = pd.factorize(values)
    bounds = np.cumsum([0, *(len(column) for column in columns)])
    parts = [codes[start:stop].astype(np.int64) for start, stop in pairwise(bounds)]
    return parts, len(levels)


def row_keys(frames: Sequence[pd.DataFrame], numeric: dict) -> list[np.ndarray]:
    """A 64-bit hash of each row's values, the same for equal rows in every table.

    Numbers are compared as floats (:func:`numbers`; ``-0.0`` equals ``0.0``), levels
    as values (:func:`shared_codes`), and a missing cell equals a missing cell. Two
    different rows share a key with a probability of about ``2**-64`` per pair.

    Parameters
    ----------
    frames : sequence of DataFrame
        Tables with the columns of ``numeric``.
    numeric : dict
        ``{column: whether it is numeric}``.

    Returns
    -------
    list of ndarray of uint64
        Per table, the key of each row.
    """
    columns = [{} for _ in frames]
    for name, is_numeric in numeric.items():
        if is_numeric:
            for column, frame in zip(columns, frames, strict=True):
                values = numbers(frame[name]) + 0.0  # -0.0 + 0.0 is 0.0
                column[name] = np.where(np.isnan(values), np.nan, values)
        else:
            codes, _ = shared_codes([frame[name] for frame in frames])
            for column, code in zip(columns, codes, strict=True):
                column[name] = code
    return [
        pd.util.hash_pandas_object(pd.DataFrame(column), index=False).to_numpy()
        for column in columns
    ]


def model_frames(frames: Sequence[pd.DataFrame], numeric: dict) -> list[pd.DataFrame]:
    """Tables as features a HistGradientBoosting model takes, encoded the same way.

    Numeric columns become floats (:func:`numbers`); categorical ones pandas
    categoricals with the levels of all the tables (for the model's native categorical
    support), or level codes as floats beyond 255 levels. Missing values stay missing.

    Parameters
    ----------
    frames : sequence of DataFrame
        Tables with the columns of ``numeric``.
    numeric : dict
        ``{column: whether it is numeric}``, in the order of the features.

    Returns
    -------
    list of DataFrame
        The encoded tables, one per input, with fresh ``RangeIndex``es.
    """
    encoded = [{} for _ in frames]
    for name, is_numeric in numeric.items():
        if is_numeric:
            for features, frame in zip(encoded, frames, strict=True):
                features[name] = numbers(frame[name])
            continue
        codes, n_levels = shared_codes([frame[name] for frame in frames])
        for features, code in zip(encoded, codes, strict=True):
            if n_levels <= MAX_NATIVE_LEVELS:
                features[name] = pd.Categorical.from_codes(code, categories=range(n_levels))
            else:
                features[name] = np.where(code == MISSING, np.nan, code.astype(float))
    return [pd.DataFrame(features) for features in encoded]
