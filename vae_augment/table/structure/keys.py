"""Key columns: unique in every training row; generated rows get fresh keys.

A key is never modelled (a category per row would copy training keys into generated
rows). Its format is kept: numbered keys (``C00123``, row numbers) continue after the
largest training key; other keys keep their shape, a letter for a letter and a digit
for a digit (``AB-1234`` gives ``QX-0937``), and are drawn again where they would repeat
a training key or each other. Training keys themselves are not kept, only their hashes.
"""

from __future__ import annotations

import re
import string
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..frames import column_label
from .values import is_number_column, numbers, whole

_NUMBERED = re.compile(r"^(\D*)(\d+)(\D*)$")
_CLASSES = {"9": string.digits, "A": string.ascii_uppercase, "a": string.ascii_lowercase}
#: Draws per row before a pattern key gives up on avoiding repeats (never reached in
#: practice: patterns with few possible keys are numbered instead).
_MAX_DRAWS = 20


def _shape(key: str) -> str:
    """A key's shape: ``9`` per digit, ``A``/``a`` per upper/lower-case letter, other
    characters as they are (``9``, ``A`` and ``a`` themselves escaped as ``\\``)."""
    out = []
    for char in key:
        if char.isdigit() and char.isascii():
            out.append("9")
        elif char.isascii() and char.isupper():
            out.append("A")
        elif char.isascii() and char.islower():
            out.append("a")
        else:
            out.append("\\" + char)
    return "".join(out)


def _hashes(values) -> np.ndarray:
    return np.sort(pd.util.hash_array(np.asarray(values, dtype=object).astype(str)))


@dataclass(eq=False)
class KeyFormat:
    """How one key column's keys look, and the hashes of the training keys.

    Parameters
    ----------
    name : hashable
        The column.
    numbered : bool
        Keys are ``prefix + number + suffix`` (or whole numbers): new ones count up from
        ``start``.
    text : bool
        Whether the keys are text (else whole numbers).
    prefix, suffix : str
        Around the number of numbered text keys.
    width : int
        Digits of the number, zero-padded (0: as many as it takes).
    start : int
        The first new number: one past the largest training number.
    shapes : ndarray of str
        Pattern keys: the training keys' shapes, drawn by frequency.
    shape_counts : ndarray of int
        How many training keys have each shape.
    hashes : ndarray of uint64
        Sorted hashes of the training keys (pattern keys avoid them).
    """

    name: Hashable
    numbered: bool
    text: bool = True
    prefix: str = ""
    suffix: str = ""
    width: int = 0
    start: int = 0
    shapes: np.ndarray = field(default=None, repr=False)
    shape_counts: np.ndarray = field(default=None, repr=False)
    hashes: np.ndarray = field(default=None, repr=False)

    @classmethod
    def learn(cls, series: pd.Series, name: Hashable) -> KeyFormat:
        """The format of a key column (unique, without missing values)."""
        if is_number_column(series):
            values = numbers(series)
            if not whole(values):
                raise ValueError(
                    f"{column_label(name)} holds fractional numbers; a key column holds "
                    "whole numbers or text."
                )
            return cls(name, numbered=True, text=False, start=int(values.max()) + 1)
        text = series.astype(str).to_numpy()
        parts = [_NUMBERED.match(key) for key in text]
        if all(parts):
            prefixes = {m.group(1) for m in parts}
            suffixes = {m.group(3) for m in parts}
            widths = {len(m.group(2)) for m in parts}
            if len(prefixes) == 1 and len(suffixes) == 1:
                digits = [m.group(2) for m in parts]
                padded = len(widths) == 1 and any(d.startswith("0") for d in digits)
                return cls(
                    name,
                    numbered=True,
                    prefix=prefixes.pop(),
                    suffix=suffixes.pop(),
                    width=widths.pop() if padded else 0,
                    start=max(int(d) for d in digits) + 1,
                )
        shapes, counts = np.unique([_shape(key) for key in text], return_counts=True)
        return cls(
            name,
            numbered=False,
            shapes=shapes.astype(object),
            shape_counts=counts,
            hashes=_hashes(text),
        )

    def describe(self) -> str:
        """The format as a user reads it."""
        if self.numbered:
            number = f"{self.width}-digit number" if self.width else "number"
            return (
                f"'{self.prefix}' + {number} + '{self.suffix}'"
                if (self.prefix or self.suffix)
                else "whole numbers"
            )
        return "shapes " + ", ".join(
            repr(s.replace("\\", ""))
            for s in self.shapes[np.argsort(-self.shape_counts)][:3]
        )

    def generate(self, n_rows: int, first_row: int, dtype, rng) -> pd.Series:
        """``n_rows`` fresh keys; numbered ones are the rows' positions after ``start``.

        Parameters
        ----------
        n_rows : int
            Keys to make.
        first_row : int
            Position of the first one among all rows generated in this call (frames of a
            long ``sample_to_parquet`` continue each other's numbers).
        dtype : dtype
            The column's dtype.
        rng : RandomState
            Source of pattern keys.
        """
        if self.numbered:
            values = self.start + first_row + np.arange(n_rows, dtype=np.int64)
            if not self.text:
                return pd.Series(values).astype(dtype)
            text = [f"{self.prefix}{n:0{self.width}d}{self.suffix}" for n in values]
            return pd.Series(text, dtype=object).astype(dtype)
        keys = self._pattern_keys(n_rows, rng)
        return pd.Series(keys, dtype=object).astype(dtype)

    def _pattern_keys(self, n_rows: int, rng) -> np.ndarray:
        weights = self.shape_counts / self.shape_counts.sum()
        shapes = self.shapes[rng.choice(len(self.shapes), size=n_rows, p=weights)]
        keys = np.empty(n_rows, dtype=object)
        todo = np.arange(n_rows)
        for _ in range(_MAX_DRAWS):
            keys[todo] = [self._fill(shape, rng) for shape in shapes[todo]]
            hashes = pd.util.hash_array(keys.astype(str))
            seen = self.hashes[
                np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
            ]
            repeats = (seen == hashes) | pd.Series(keys).duplicated().to_numpy()
            todo = np.flatnonzero(repeats)
            if not len(todo):
                return keys
        raise ValueError(
            f"could not make {n_rows:,} fresh keys for {column_label(self.name)}: its "
            "key shapes allow too few distinct keys; declare it another kind."
        )

    @staticmethod
    def _fill(shape: str, rng) -> str:
        out, escaped = [], False
        for char in shape:
            if escaped:
                out.append(char)
                escaped = False
            elif char == "\\":
                escaped = True
            else:
                alphabet = _CLASSES[char]
                out.append(alphabet[rng.randint(len(alphabet))])
        return "".join(out)


def is_key(series: pd.Series, min_rows: int) -> bool:
    """Whether a column looks like a key: unique in every row (no missing value), text
    or whole numbers; whole numbers only when they are row numbers (no more than twice
    as many possible values as rows), so a unique measurement stays a measurement."""
    if len(series) < min_rows or series.isna().any() or not series.is_unique:
        return False
    if ptypes.is_bool_dtype(series.dtype):
        return False
    if is_number_column(series):
        values = numbers(series)
        return whole(values) and values.max() - values.min() + 1 <= 2 * len(series)
    return (
        ptypes.is_string_dtype(series.dtype)
        or ptypes.is_object_dtype(series.dtype)
        or (isinstance(series.dtype, pd.CategoricalDtype))
    )
