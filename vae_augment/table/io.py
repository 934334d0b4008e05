"""Reading and writing tables for the command line: CSV and Parquet, dtypes as users expect.

Parquet stores pandas dtypes and gives them back (with one exception, see
:func:`read_table`). CSV stores text, so :func:`read_table` decides each column's dtype
the way pandas' ``read_csv`` reads the text, then tidies it: whole numbers are integers
(nullable ``Int64`` when some are missing; leading zeros are not kept, ``02134`` reads as
2134), ``True``/``False`` are booleans (nullable ``boolean`` when some are missing), ISO
8601 text (``2024-03-01``, ``2024-03-01 12:30:00``, with or without an offset) is a
datetime, other text stays text. pandas' missing-value markers (an empty cell, ``NA``,
``N/A``, ``NaN``, ``null``, ...) are missing values. :func:`write_table` writes integers
without ``.0`` and datetimes as ISO 8601, so a table read from CSV and written back keeps
its look.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..utils.files import replaced_atomically
from ..utils.optional import optional_import

CSV = "csv"
PARQUET = "parquet"
_FORMATS = {".csv": CSV, ".parquet": PARQUET, ".pq": PARQUET}
# A time followed by a UTC offset ("12:30Z", "12:30:00+02:00"), at the end of the text.
_UTC_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:[.,]\d*)?)?\s?(?:Z|[+-]\d\d(?::?\d\d)?)$")


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
    optional_import("pyarrow", extra="parquet", feature=f"Parquet files ({path})")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet file into a DataFrame with the dtypes described above.

    A CSV column of timestamps whose UTC offsets differ from row to row (``+01:00`` and
    ``+02:00`` across a daylight-saving change) is read in UTC. A Parquet category
    column whose categories are numbers comes back as a category of the values present,
    sorted and unordered: Parquet keeps only the values, so unused categories and the
    categories' order are lost (text categories keep both).

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
        For an unknown suffix, a file pandas cannot parse, or a file separated by
        semicolons, tabs or bars (read as one column).
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
    _refuse_other_separators(frame, path)
    return frame.apply(_csv_column)


def _refuse_other_separators(frame: pd.DataFrame, path) -> None:
    """A CSV read as one column whose name holds ``;``, a tab or ``|`` was not
    comma-separated: refuse it rather than model one column of text."""
    if frame.shape[1] != 1:
        return
    header = str(frame.columns[0])
    for separator, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
        if separator in header:
            raise ValueError(
                f"{path}: read as a single column named {header!r}; the file seems to "
                f"be separated by {name}, not commas. Save it as comma-separated CSV or "
                "as Parquet."
            )


def _read_parquet(path: str | Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    frame = pd.read_parquet(path).reset_index(drop=True)
    # Parquet keeps a category column of numbers as plain numbers; pandas' own
    # metadata in the file says it was categorical, but not what its categories were.
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
        datetimes = _datetimes(column)
        if datetimes is not None:
            return datetimes
        # pandas' default text dtype (``str`` in pandas 3, ``object`` before), NaN for
        # missing cells as a plain read_csv gives.
        return pd.Series(
            column.to_numpy(dtype=object, na_value=np.nan),
            index=column.index,
            name=column.name,
        )
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


def write_parquet_frames(frames: Iterable[pd.DataFrame], path: str | Path) -> None:
    """Write tables as the consecutive row groups of one Parquet file.

    Only one table is in memory at a time. The file appears when the last row group is
    written: until then the rows go to a hidden file next to it, which is removed if
    anything fails (or ``Ctrl-C`` stops the writing).

    Parameters
    ----------
    frames : iterable of DataFrame
        Tables with the same columns and dtypes; their indexes are not written.
    path : str or Path
        The Parquet file to write (replaced if it exists).

    Raises
    ------
    ValueError
        For a column Parquet cannot store.
    ImportError
        When pyarrow is not installed.
    """
    _require_pyarrow(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replaced_atomically(path) as partial:
        writer = None
        try:
            for frame in frames:
                try:
                    table = pa.Table.from_pandas(
                        frame,
                        preserve_index=False,
                        schema=None if writer is None else writer.schema,
                    )
                except (pa.ArrowException, ValueError, TypeError) as error:
                    raise ValueError(
                        f"{path}: cannot write the table as Parquet ({error})."
                    ) from None
                if writer is None:
                    writer = pq.ParquetWriter(partial, table.schema)
                writer.write_table(table, row_group_size=max(len(frame), 1))
            if writer is None:
                raise ValueError(f"{path}: no rows to write.")
        finally:
            if writer is not None:
                writer.close()
