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
