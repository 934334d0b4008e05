"""Columns read from delimited text, in the dtypes a user expects.

pandas' ``read_csv`` (with its nullable dtypes) reads the text; :func:`typed_text_column`
then tidies each column: whole numbers are integers (nullable ``Int64`` when some are
missing; a column with leading zeros, ``02134``, is a code and stays text:
:func:`~.io.read_table` reads it again as text), ``True``/``False`` are
booleans (nullable ``boolean`` when some are missing), ISO 8601 text (``2024-03-01``,
``2024-03-01 12:30:00``, with or without an offset) is a datetime, other text stays
text. pandas' missing-value markers (an empty cell, ``NA``, ``N/A``, ``NaN``, ``null``,
...) are missing values.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

# A time followed by a UTC offset ("12:30Z", "12:30:00+02:00"), at the end of the text.
_UTC_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:[.,]\d*)?)?\s?(?:Z|[+-]\d\d(?::?\d\d)?)$")


def text_column(column: pd.Series) -> pd.Series:
    """A column read as text, in pandas' default text dtype (``str`` in pandas 3,
    ``object`` before), NaN for missing cells as a plain ``read_csv`` gives."""
    return pd.Series(
        column.to_numpy(dtype=object, na_value=np.nan), index=column.index, name=column.name
    )


def typed_text_column(column: pd.Series) -> pd.Series:
    """One column read with pandas' nullable dtypes, turned into the dtype users expect."""
    has_missing = bool(column.isna().any())
    if column.isna().all():
        return column.astype("float64")
    if ptypes.is_integer_dtype(column.dtype):
        return column if has_missing else column.astype("int64")
    if ptypes.is_float_dtype(column.dtype):
        return column.astype("float64")
    if ptypes.is_bool_dtype(column.dtype):
        return column if has_missing else column.astype(bool)
    if ptypes.is_string_dtype(column.dtype):
        datetimes = _datetimes(column)
        return text_column(column) if datetimes is None else datetimes
    return column


def _datetimes(column: pd.Series) -> pd.Series | None:
    """A text column of ISO 8601 timestamps as datetimes; None for any other text."""
    errors = (ValueError, TypeError, OverflowError)
    try:
        with warnings.catch_warnings():
            # Mixed UTC offsets: pandas 2 gives objects (and warns), pandas 3 raises.
            warnings.simplefilter("error", FutureWarning)
            parsed = pd.to_datetime(column, format="ISO8601")
        if ptypes.is_datetime64_any_dtype(parsed.dtype):
            return parsed
    except (*errors, FutureWarning):
        pass
    # Only when every timestamp has an offset: utc=True would read one without as UTC.
    if not column.dropna().str.contains(_UTC_OFFSET).all():
        return None
    try:
        return pd.to_datetime(column, format="ISO8601", utc=True)
    except errors:
        return None
