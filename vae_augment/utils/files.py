"""Writing files so that an interrupted write never leaves a damaged file behind."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced_atomically(path: str | os.PathLike) -> Iterator[Path]:
    """Give a hidden sibling of ``path`` to write; move it over ``path`` on success.

    If the block raises (or is interrupted), the partial file is removed and an older
    file at ``path`` is left as it was.

    Parameters
    ----------
    path : str or path-like
        The file to (re)place. Its folder must exist.

    Yields
    ------
    Path
        The partial file to write (it does not exist yet).

    Raises
    ------
    FileNotFoundError
        If the folder of ``path`` does not exist (named, rather than the partial file).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"Cannot write {path}: the folder {path.parent} does not exist."
        )
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        yield partial
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
