"""Reading and writing tables for the command line: CSV and Parquet, dtypes as users expect.

Parquet stores pandas dtypes and gives them back. CSV stores text, so :func:`read_table`
decides each column's dtype the way a person reading the file would: whole numbers are
integers (nullable ``Int64`` when some are missing), ``True``/``False`` are booleans
(nullable ``boolean`` when some are missing), ISO 8601 text (``2024-03-01``,
``2024-03-01 12:30:00``, with or without an offset) is a datetime, other text stays text.
:func:`write_table` writes integers without ``.0`` and datetimes as ISO 8601, so a table
read from CSV and written back keeps its look.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

CSV = "csv"
PARQUET = "parquet"
_FORMATS = {".csv": CSV, ".parquet": PARQUET, ".pq": PARQUET}


def table_format(path: str | Path) -> str:
    """Return ``"csv"`` or ``"parquet"`` from a file name.

    Raises
    ------
    ValueError
        For any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        raise ValueError(
            f"{path}: unknown table format {suffix or '(no suffix)'!r}; use a .csv or "
            ".parquet file."
        )
    return _FORMATS[suffix]


def _require_pyarrow(path: str | Path) -> None:
    if importlib.util.find_spec("pyarrow") is None:
        raise ImportError(
            f"{path}: Parquet files need pyarrow; install it with "
            "pip install 'vae-augment[parquet]'."
        )


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet file into a DataFrame with the dtypes described above.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.parquet`` or ``.pq`` file.

    Returns
    -------
    DataFrame
        The table, with a fresh ``RangeIndex``.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        For an unknown suffix, or a file pandas cannot parse.
    ImportError
        For a Parquet file when pyarrow is not installed.
    """
    kind = table_format(path)
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such file.")
    try:
        if kind == PARQUET:
            _require_pyarrow(path)
            return _read_parquet(path)
        frame = pd.read_csv(path, dtype_backend="numpy_nullable")
    except (ValueError, OSError) as error:
        raise ValueError(f"{path}: cannot read the table ({error}).") from None
    return frame.apply(_csv_column)


def _read_parquet(path: str | Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    frame = pd.read_parquet(path)
    # Parquet keeps a category column of numbers as plain numbers; pandas' own
    # metadata in the file says it was categorical.
    metadata = pq.read_schema(path).pandas_metadata or {}
    for column in metadata.get("columns", []):
        name = column.get("name")
        if column.get("pandas_type") == "categorical" and name in frame:
            frame[name] = frame[name].astype("category")
    return frame


def _csv_column(column: pd.Series) -> pd.Series:
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
        try:
            return pd.to_datetime(column, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            # pandas' default text dtype (``str`` in pandas 3, ``object`` before), NaN
            # for missing cells as a plain read_csv gives.
            return pd.Series(
                column.to_numpy(dtype=object, na_value=np.nan),
                index=column.index,
                name=column.name,
            )
    return column


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to a CSV or Parquet file, creating missing parent folders.

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not written.
    path : str or Path
        A ``.csv``, ``.parquet`` or ``.pq`` file name.

    Raises
    ------
    ValueError
        For an unknown suffix, or a column Parquet cannot store.
    ImportError
        For a Parquet file when pyarrow is not installed.
    """
    kind = table_format(path)
    if kind == PARQUET:
        _require_pyarrow(path)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if kind == CSV:
        frame.to_csv(path, index=False)
        return
    try:
        frame.to_parquet(path, index=False)
    except (ValueError, TypeError) as error:  # pyarrow's ArrowInvalid is a ValueError
        raise ValueError(f"{path}: cannot write the table as Parquet ({error}).") from None
