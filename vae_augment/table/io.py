"""Reading and writing tables for the command line: delimited text and Parquet, dtypes
as users expect.

A file's format comes from its name (:func:`table_format`): ``.csv`` (commas),
``.tsv`` (tabs), ``.csv.gz`` and ``.tsv.gz`` (the same, gzip-compressed), ``.parquet``
and ``.pq``; ``-`` is standard input or output, as CSV. Delimited text takes a
separator (instead of the name's) and an encoding (UTF-8 unless told).

Parquet stores pandas dtypes and gives them back (with one exception, see
:func:`read_table`). Delimited text stores text: :mod:`.text_columns` gives each column
the dtype a user expects (integers, booleans, datetimes, text), and :func:`write_table`
writes integers without ``.0`` and datetimes as ISO 8601, so a table read and written
back keeps its look.
"""

from __future__ import annotations

import codecs
import gzip
import io
import sys
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pandas.api import types as ptypes

from ..utils.files import replaced_atomically
from ..utils.optional import optional_import
from .text_columns import text_column, typed_text_column

CSV = "csv"
PARQUET = "parquet"
#: The file name that stands for standard input (read) or standard output (written).
STANDARD_STREAM = "-"
DEFAULT_ENCODING = "utf-8"


@dataclass(frozen=True)
class _Format:
    kind: str
    sep: str = ","
    compression: str | None = None


_FORMATS = {
    ".csv": _Format(CSV),
    ".tsv": _Format(CSV, "\t"),
    ".csv.gz": _Format(CSV, ",", "gzip"),
    ".tsv.gz": _Format(CSV, "\t", "gzip"),
    ".parquet": _Format(PARQUET),
    ".pq": _Format(PARQUET),
}
#: The names :func:`table_format` knows, as a user reads them.
SUPPORTED_FORMATS = ", ".join(_FORMATS) + ", or - for standard input/output (as CSV)"
# The separators a file read as one column may have been written with, as --sep takes
# them.
_SEPARATORS = {",": "','", ";": "';'", "\t": "'\\t'", "|": "'|'"}


def _format(path: str | Path) -> _Format:
    if str(path) == STANDARD_STREAM:
        return _Format(CSV)
    name = Path(path).name.lower()
    for suffix, found in _FORMATS.items():
        if name.endswith(suffix):
            return found
    suffixes = Path(path).suffixes
    shown = "".join(suffixes[-2:] if suffixes[-1:] == [".gz"] else suffixes[-1:])
    raise ValueError(
        f"{path}: unknown table format {shown or '(no suffix)'!r}; use {SUPPORTED_FORMATS}."
    )


def table_format(path: str | Path) -> str:
    """Return ``"csv"`` (delimited text, compressed or not) or ``"parquet"`` from a file
    name; ``-`` (standard input or output) is CSV.

    Raises
    ------
    ValueError
        For a name of no known format (the message lists the known ones).
    """
    return _format(path).kind


def input_name(path: str | Path) -> str:
    """``path`` as messages name a table that is read (``-``: standard input)."""
    return "standard input" if str(path) == STANDARD_STREAM else str(path)


def output_name(path: str | Path) -> str:
    """``path`` as messages name a table that is written (``-``: standard output)."""
    return "standard output" if str(path) == STANDARD_STREAM else str(path)


def check_encoding(encoding: str) -> str:
    """Return ``encoding`` if Python knows the text encoding of that name.

    Raises
    ------
    ValueError
        For an unknown name.
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ValueError(
            f"unknown text encoding {encoding!r}; use one Python knows, such as utf-8, "
            "latin-1 or cp1252"
        ) from None
    return encoding


def _require_pyarrow(path: str | Path) -> None:
    optional_import("pyarrow", extra="parquet", feature=f"Parquet files ({path})")


def read_table(
    path: str | Path,
    *,
    sep: str | None = None,
    encoding: str = DEFAULT_ENCODING,
    text_columns: Collection = (),
) -> pd.DataFrame:
    """Read a delimited-text or Parquet file (or standard input) into a DataFrame with
    the dtypes a user expects (see the module docstring).

    A column of timestamps whose UTC offsets differ from row to row (``+01:00`` and
    ``+02:00`` across a daylight-saving change) is read in UTC. A Parquet category
    column whose categories are numbers comes back as a category of the values present,
    sorted and unordered: Parquet keeps only the values, so unused categories and the
    categories' order are lost (text categories keep both).

    Parameters
    ----------
    path : str or Path
        A file of one of the formats of :func:`table_format`, or ``-`` for CSV on
        standard input.
    sep : str, default=None
        Delimited text only: the field separator; ``None`` for the name's (a comma, a
        tab for ``.tsv``).
    encoding : str, default="utf-8"
        Delimited text only: the text encoding.
    text_columns : collection of str, default=()
        Delimited text only: columns read as text whatever they hold, so that a part of
        a table reads as the whole did (a training file's ``Cylinders`` of ``4``, ``6``
        and ``rotary`` is text; a part without ``rotary`` would read as integers).

    Returns
    -------
    DataFrame
        The table, with a fresh ``RangeIndex``.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        For an unknown format or encoding, bytes that are not text in ``encoding``, a
        file pandas cannot parse, or (without ``sep``) a file read as one column whose
        name holds another separator (``;``, a tab, ``|`` or a comma).
    ImportError
        For a Parquet file when pyarrow is not installed.
    """
    found = _format(path)
    if str(path) != STANDARD_STREAM and not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such file.")
    name = input_name(path)
    check_encoding(encoding)
    try:
        if found.kind == PARQUET:
            _require_pyarrow(path)
            return _read_parquet(path)
        source = path
        if str(path) == STANDARD_STREAM:  # read twice below: held in memory
            source = io.BytesIO(getattr(sys.stdin, "buffer", sys.stdin).read())
        options = {
            "sep": sep or found.sep,
            "encoding": encoding,
            "compression": found.compression,
        }
        frame = pd.read_csv(
            source,
            **options,
            dtype_backend="numpy_nullable",
            dtype=dict.fromkeys(text_columns, "string") or None,
        )
        codes = _codes(frame, source, options)
        for name, column in codes.items():
            frame[name] = column
        text_columns = set(text_columns) | set(codes)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{name} is not {encoding} text: it holds the byte "
            f"0x{error.object[error.start]:02x}, which {encoding} does not decode; pass "
            "--encoding with the file's encoding (e.g. --encoding latin-1)"
        ) from None
    except (ValueError, OSError) as error:
        raise ValueError(f"{name}: cannot read the table ({error}).") from None
    if sep is None:
        _refuse_other_separators(frame, name, found.sep)

    def typed(column: pd.Series) -> pd.Series:
        if column.name in text_columns:
            return text_column(column)
        return typed_text_column(column)

    return frame.apply(typed)


def _codes(frame: pd.DataFrame, source, options: dict) -> dict:
    """The columns read as whole numbers whose text has leading zeros (zip codes
    ``02134``, account numbers), as their text: codes, kept as text. A second read
    gives their text."""
    candidates = [n for n, d in frame.dtypes.items() if ptypes.is_integer_dtype(d)]
    if not candidates:
        return {}
    if isinstance(source, io.BytesIO):
        source.seek(0)
    raw = pd.read_csv(source, **options, usecols=candidates, dtype="string")
    return {
        name: raw[name]
        for name in candidates
        if raw[name].str.fullmatch(r"0\d+").fillna(False).any()
    }


def _refuse_other_separators(frame: pd.DataFrame, name: str, sep: str) -> None:
    """A file read as one column whose name holds another separator was not
    ``sep``-separated: refuse it rather than model one column of text."""
    if frame.shape[1] != 1:
        return
    header = str(frame.columns[0])
    for other, shown in _SEPARATORS.items():
        if other != sep and other in header:
            raise ValueError(
                f"{name}: read as a single column named {header!r}; it looks like a "
                f"{shown}-separated file: pass --sep {shown}"
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


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    sep: str | None = None,
    encoding: str = DEFAULT_ENCODING,
) -> None:
    """Write ``frame`` to a delimited-text or Parquet file (or standard output).

    Missing parent folders are created; a file appears only once it is whole.

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not written.
    path : str or Path
        A file name of one of the formats of :func:`table_format`, or ``-`` for CSV on
        standard output.
    sep : str, default=None
        Delimited text only: the field separator; ``None`` for the name's.
    encoding : str, default="utf-8"
        Delimited text only: the text encoding.

    Raises
    ------
    ValueError
        For an unknown format or encoding, text ``encoding`` cannot hold, or a column
        Parquet cannot store.
    ImportError
        For a Parquet file when pyarrow is not installed.
    """
    write_frames([frame], path, sep=sep, encoding=encoding)


def write_frames(
    frames: Iterable[pd.DataFrame],
    path: str | Path,
    *,
    sep: str | None = None,
    encoding: str = DEFAULT_ENCODING,
) -> None:
    """Write tables one after the other as the rows of one file (or of standard output).

    Only one table is in memory at a time, so the rows may be more than memory holds.
    Parameters and errors are those of :func:`write_table`; the tables must have the
    same columns and dtypes (a Parquet file gets one row group per table).
    """
    found = _format(path)
    if found.kind == PARQUET:
        write_parquet_frames(frames, path)
        return
    check_encoding(encoding)
    if str(path) != STANDARD_STREAM:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        with _text_output(path, found.compression, encoding) as output:
            for number, frame in enumerate(frames):
                output.write(
                    frame.to_csv(sep=sep or found.sep, index=False, header=number == 0)
                )
    except UnicodeEncodeError as error:
        raise ValueError(
            f"{output_name(path)}: {error.object[error.start : error.end]!r} cannot be "
            f"written in {encoding}; pass another --encoding (e.g. --encoding utf-8)"
        ) from None


@contextmanager
def _text_output(path, compression: str | None, encoding: str) -> Iterator:
    """Something to ``write`` text to that ends up in ``path`` encoded (and compressed)."""
    if str(path) == STANDARD_STREAM:
        stdout = sys.stdout
        # Bytes, so that --encoding holds; a console that takes text only (a
        # notebook's) gets text.
        buffer = getattr(stdout, "buffer", None)
        stdout.flush()
        yield stdout if buffer is None else codecs.getwriter(encoding)(buffer)
        (stdout if buffer is None else buffer).flush()
        return
    with replaced_atomically(path) as partial, open(partial, "xb") as file:
        if compression is None:
            yield codecs.getwriter(encoding)(file)
            return
        # No name or time in the header: the same rows give the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=file, mtime=0) as packed:
            yield codecs.getwriter(encoding)(packed)


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
