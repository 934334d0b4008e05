"""The tables a command reads and writes, under its ``--sep`` and ``--encoding``.

The format comes from the file's name (:func:`vae_augment.table.io.table_format`); ``-``
is standard input or output, as CSV. When the table goes to standard output, the
command's own lines go to standard error, so that the output is the table alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

import pandas as pd

from ..table.io import STANDARD_STREAM, read_table, write_frames


def read_input(
    args: argparse.Namespace, path: str, *, text_columns: Iterable = ()
) -> pd.DataFrame:
    """The table at ``path`` (``-``: standard input), read with the command's options;
    ``text_columns`` are read as text (see :func:`~vae_augment.table.io.read_table`)."""
    return read_table(
        path, sep=args.sep, encoding=args.encoding, text_columns=set(text_columns)
    )


def is_text(dtype) -> bool:
    """Whether a column of ``dtype`` holds text or categories (read as text again)."""
    return isinstance(dtype, pd.CategoricalDtype) or (
        pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)
    )


def text_columns_of(frame: pd.DataFrame) -> list:
    """The columns of ``frame`` that hold text or categories."""
    return [name for name, dtype in frame.dtypes.items() if is_text(dtype)]


def write_output(args: argparse.Namespace, frames: Iterable[pd.DataFrame]) -> None:
    """Write ``frames``, one after the other, to ``-o`` (``-``: standard output)."""
    write_frames(frames, args.output, sep=args.sep, encoding=args.encoding)


def tell(args: argparse.Namespace, line: str) -> None:
    """A command's closing line: on standard output, unless the table went there."""
    print(line, file=sys.stderr if args.output == STANDARD_STREAM else sys.stdout)


#: ``--dtype`` kinds that say how a table is read, and how each is applied.
READ_KINDS = ("text", "integer", "float", "datetime")
#: ``--dtype`` kinds that say how a column is modelled (``column_kinds``).
MODEL_KINDS = ("categorical", "key")


def cast_columns(frame: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    """``frame`` with ``--dtype`` integer, float and datetime columns converted.

    Raises
    ------
    ValueError
        Naming the column, if it is not in the table or its values cannot be read as
        the kind asked.
    """
    for name, kind in dtypes.items():
        if name not in frame.columns:
            raise ValueError(
                f"--dtype names column {name!r}, which the table does not have; its "
                f"columns are {list(frame.columns)[:10]}"
            )
        if kind not in ("integer", "float", "datetime"):
            continue
        column = frame[name]
        try:
            if kind == "datetime":
                frame[name] = pd.to_datetime(column, format="ISO8601")
            else:
                numbers = pd.to_numeric(column, errors="raise")
                if kind == "integer":
                    if not (numbers.dropna() == numbers.dropna().round()).all():
                        raise ValueError("fractional numbers")
                    dtype = "Int64" if numbers.isna().any() else "int64"
                    numbers = numbers.astype(dtype)
                frame[name] = numbers.astype("float64") if kind == "float" else numbers
        except (TypeError, ValueError) as error:
            example = column.dropna().iloc[0] if column.notna().any() else None
            raise ValueError(
                f"--dtype {name}={kind}: column {name!r} holds values that are not "
                f"{kind}s (e.g. {example!r}; {error})"
            ) from None
    return frame
