"""polars tables: converted to pandas where they come in, and back where results go out.

Every layer above the table works on pandas, so a polars DataFrame (or Series) is turned
into the pandas one of the same columns and dtypes, and results are turned back:

* integers and booleans become pandas' nullable ``Int64``/``UInt8``/.../``boolean``, so
  that a null stays missing (polars' own ``to_pandas`` turns an integer column with
  nulls into floats and a boolean one into objects);
* ``Categorical`` becomes ``category``, and ``Enum`` an ordered ``category`` with its
  categories in order; on the way back an ordered ``category`` of strings becomes an
  ``Enum`` again;
* ``Date`` becomes ``datetime64[ms]`` (pandas has no date dtype): the caller remembers
  which columns were dates and gets them back as ``Date``;
* ``String``, ``Float32``/``Float64``, ``Datetime`` (time zone and unit included) and
  ``Duration`` map to their pandas equivalents both ways.

polars is detected by the module of the object's type and imported only to build a
result, so it stays an optional dependency.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from pandas.api import types as ptypes

from ..utils.optional import optional_import

#: The polars dtypes a table may hold, by class name (others are refused by name).
SUPPORTED_TYPES = frozenset(
    {
        *(f"{sign}Int{bits}" for sign in ("", "U") for bits in (8, 16, 32, 64)),
        "Float32",
        "Float64",
        "Boolean",
        "String",
        "Categorical",
        "Enum",
        "Date",
        "Datetime",
        "Duration",
    }
)
#: pandas' nullable dtype for each Arrow type that has one (pyarrow's type names).
_NULLABLE = {
    **{
        f"{sign}int{bits}": pd.api.types.pandas_dtype(f"{sign.upper()}Int{bits}")
        for sign in ("", "u")
        for bits in (8, 16, 32, 64)
    },
    "bool": pd.BooleanDtype(),
}


def is_polars(data) -> bool:
    """Whether ``data`` is a polars object (DataFrame, Series, LazyFrame, ...).

    Decided by the module of its type, so that polars is never imported to find out.
    """
    return type(data).__module__.partition(".")[0] == "polars"


def _polars():
    return optional_import("polars", extra="polars", feature="polars DataFrames")


def _type_name(dtype) -> str:
    return type(dtype).__name__


def _checked_schema(schema, what: str) -> None:
    """Refuse polars dtypes that the table's column kinds cannot hold, by column."""
    unsupported = {
        name: dtype
        for name, dtype in schema.items()
        if _type_name(dtype) not in SUPPORTED_TYPES
    }
    if unsupported:
        listed = ", ".join(f"{name!r} ({dtype})" for name, dtype in unsupported.items())
        raise TypeError(
            f"{what} has polars column(s) of unsupported dtype: {listed}. Cast them to "
            "numbers, strings, categories, booleans, dates or datetimes first, e.g. "
            'with pl.col("name").cast(pl.String).'
        )


def _pandas_of(frame, what: str) -> pd.DataFrame:
    """A polars DataFrame as pandas, with nullable integers and booleans."""
    _checked_schema(frame.schema, what)
    # polars hands the types_mapper to pyarrow; types without an entry convert as usual.
    return frame.to_pandas(types_mapper=lambda arrow_type: _NULLABLE.get(str(arrow_type)))


def polars_to_pandas(frame, what: str = "X") -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A polars DataFrame as pandas (see the module docstring), and its Date columns.

    Parameters
    ----------
    frame : polars.DataFrame
        The table.
    what : str, default="X"
        The argument name used in error messages.

    Returns
    -------
    pandas_frame : DataFrame
        The same columns, in pandas dtypes.
    dates : tuple of str
        The names of the columns polars held as ``Date`` (datetimes in pandas).

    Raises
    ------
    TypeError
        For a LazyFrame and for columns of a dtype the model cannot hold (lists,
        structs, decimals, times, binary, objects).
    ValueError
        For a polars Series (a table has two dimensions).
    """
    kind = type(frame).__name__
    if kind == "Series":
        raise ValueError(
            f"Expected 2D array, got a polars Series for {what}. Use series.to_frame() "
            "for a single column."
        )
    if kind != "DataFrame":
        hint = f" Collect it first: {what}.collect()." if kind == "LazyFrame" else ""
        raise TypeError(f"{what} is a polars {kind}, not a DataFrame.{hint}")
    dates = tuple(
        name for name, dtype in frame.schema.items() if _type_name(dtype) == "Date"
    )
    return _pandas_of(frame, what), dates


def polars_series_to_pandas(series, what: str = "y") -> pd.Series:
    """A polars Series as the pandas Series of the same name and dtype."""
    return _pandas_of(series.to_frame(), what).iloc[:, 0]


def _polars_column(polars, series: pd.Series, is_date: bool):
    """One pandas column as the polars Series polars users expect (module docstring)."""
    series = series.rename(str(series.name))
    dtype = series.dtype
    try:
        column = polars.from_pandas(series, nan_to_null=True)
    except (TypeError, ValueError):  # objects of mixed types (pyarrow's ArrowInvalid)
        return polars.Series(
            series.name, series.to_numpy(dtype=object), dtype=polars.Object
        )
    if (
        isinstance(dtype, pd.CategoricalDtype)
        and dtype.ordered
        and ptypes.infer_dtype(dtype.categories) == "string"
    ):
        return column.cast(polars.Enum(dtype.categories.tolist()))
    if isinstance(dtype, pd.CategoricalDtype) and column.dtype == polars.Null:
        # A category column without categories (all missing): polars sees no values.
        return column.cast(polars.Categorical)
    if is_date and isinstance(column.dtype, polars.Datetime):
        return column.cast(polars.Date)
    return column


def pandas_to_polars(frame: pd.DataFrame, dates: Iterable[str] = ()):
    """A pandas DataFrame as polars, the columns named ``dates`` as ``Date``.

    Column names become strings (polars requires them); the index is dropped.

    Raises
    ------
    ImportError
        When polars is not installed (the message names the extra that installs it).
    """
    polars = _polars()
    dates = set(dates)
    return polars.DataFrame(
        [_polars_column(polars, frame[name], name in dates) for name in frame.columns]
    )


def pandas_to_polars_series(series: pd.Series):
    """A pandas Series as the polars Series of the same name and dtype."""
    return _polars_column(_polars(), series, is_date=False)


def polars_concat(top, bottom):
    """Two polars DataFrames (or Series) of the same schema, one above the other."""
    return _polars().concat([top, bottom], how="vertical")
