"""What kind of column a pandas Series is: the one rule every layer uses.

* **numeric** -- floats, integers (numpy or nullable), datetimes, timedeltas and object
  columns holding only numbers;
* **categorical** -- ``category``, ``bool``/``boolean``, strings and any other objects.
"""

from __future__ import annotations

import pandas as pd
from pandas.api import types as ptypes

NUMERIC = "numeric"
CATEGORICAL = "categorical"
#: Columns the model does not see (:mod:`.structure`): fresh keys, a constant value.
KEY = "key"
CONSTANT = "constant"

_NUMERIC_OBJECT_KINDS = {"floating", "integer", "mixed-integer-float", "decimal"}


def is_time_dtype(dtype) -> bool:
    """Whether ``dtype`` holds datetimes (naive or tz-aware) or timedeltas."""
    return ptypes.is_datetime64_any_dtype(dtype) or ptypes.is_timedelta64_dtype(dtype)


def time_zone(dtype):
    """The time zone of a tz-aware datetime dtype (pandas' or pyarrow's), else None."""
    if isinstance(dtype, pd.ArrowDtype):
        return getattr(dtype.pyarrow_dtype, "tz", None)
    return getattr(dtype, "tz", None)


def time_kind(dtype) -> tuple[bool, bool] | None:
    """(is datetime, is tz-aware) of a time dtype; ``None`` for any other dtype."""
    if not is_time_dtype(dtype):
        return None
    return ptypes.is_datetime64_any_dtype(dtype), time_zone(dtype) is not None


def column_kind(series: pd.Series) -> str:
    """``NUMERIC`` or ``CATEGORICAL`` (see the module docstring)."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype) or ptypes.is_bool_dtype(dtype):
        return CATEGORICAL
    if is_time_dtype(dtype) or ptypes.is_numeric_dtype(dtype):
        return NUMERIC
    if ptypes.is_object_dtype(dtype):
        inferred = ptypes.infer_dtype(series, skipna=True)
        if inferred in _NUMERIC_OBJECT_KINDS:
            return NUMERIC
    return CATEGORICAL


def is_numeric_column(series: pd.Series) -> bool:
    """Whether ``series`` is a numeric column (see the module docstring)."""
    return column_kind(series) == NUMERIC


def is_integer_column(series: pd.Series) -> bool:
    """Whether ``series`` holds whole numbers by dtype (or only Python integers)."""
    if ptypes.is_integer_dtype(series.dtype):
        return True
    return ptypes.is_object_dtype(series.dtype) and (
        ptypes.infer_dtype(series, skipna=True) == "integer"
    )
