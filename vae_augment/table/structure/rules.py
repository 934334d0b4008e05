"""The rules a table's rows keep, each as one small dataclass.

Every rule names one ``dependent`` column computed from its ``inputs``; an
:class:`OrderRule` (``lower <= upper``) is the exception: it is kept by modelling the
gap ``upper - lower`` (see :mod:`.structure`). Every rule can

* say where rows keep it (:meth:`holds`; a row with a missing cell keeps every rule),
* compute its dependent column (:meth:`derive`), and
* change free input cells so that a row whose dependent cell was given keeps it
  (:meth:`agree`): a fixed ``grade`` draws a ``sub_grade`` of that grade.

All of it is vectorised over rows. The rules on datetimes are in :mod:`.dates`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from .values import numbers, snap, typed_column

#: Fewest rows a rule must hold in to be trusted; rules with fewer are reported weak.
MIN_SUPPORT = 30

LINEAR = "linear"
ORDER = "order"
DETERMINES = "determines"


def column_text(name: Hashable) -> str:
    """A column name as rules write it: bare when it reads unambiguously, else in
    backticks (``Min.Price`` stays bare, ```annual income``` does not)."""
    text = str(name)
    if text and all(c.isalnum() or c in "._" for c in text) and not text[0].isdigit():
        return text
    return f"`{text}`"


def _number_text(value: float) -> str:
    """A coefficient as people write it: ``100``, ``0.5``, ``1/12``."""
    if float(value).is_integer():
        return str(int(value))
    fraction = Fraction(value).limit_denominator(1000)
    if abs(float(fraction) - value) < 1e-12 * max(1.0, abs(value)):
        if fraction.denominator <= 100:
            return f"{fraction.numerator}/{fraction.denominator}"
    return f"{value:.10g}"


def _value_text(value) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def _present(frame: pd.DataFrame, names) -> np.ndarray:
    """Rows where every one of ``names`` is observed."""
    return frame[list(names)].notna().all(axis=1).to_numpy()


@dataclass(eq=False)
class Rule:
    """What every rule has (see the module docstring).

    Parameters
    ----------
    dependent : hashable
        The column the rule computes.
    inputs : tuple of hashable
        The columns it computes it from.
    support : int
        Training rows with all the rule's columns observed.
    declared : bool
        Whether the user declared it (else it was found in the training rows).
    """

    dependent: Hashable
    inputs: tuple
    support: int = 0
    declared: bool = False

    family = DETERMINES
    #: Whether the rule rebuilds a modelled column (see :class:`ThresholdRule`).
    placed = False

    @property
    def columns(self) -> tuple:
        """Every column the rule involves, the dependent first."""
        return (self.dependent, *self.inputs)

    @property
    def computes(self) -> Hashable:
        """The column restoring rows computes with this rule."""
        return self.dependent

    @property
    def needs(self) -> tuple:
        """The columns that must be known before :attr:`computes` is."""
        return self.inputs

    @property
    def weak(self) -> bool:
        """Whether too few rows support it to trust it (fewer than ``MIN_SUPPORT``)."""
        return self.support < MIN_SUPPORT

    def key(self) -> tuple:
        """What identifies the rule when a user drops it."""
        return (self.family, frozenset(self.columns))

    def describe(self) -> str:
        """The rule as a user reads (and declares) it."""
        raise NotImplementedError

    def derive(self, frame: pd.DataFrame) -> np.ndarray:
        """The dependent column computed from the inputs (missing where one is)."""
        raise NotImplementedError

    def derive_typed(self, frame: pd.DataFrame, spec) -> pd.Series:
        """:meth:`derive` as a column of the dependent's dtype (``spec``'s)."""
        values = pd.Series(self.derive(frame), index=frame.index, dtype=object)
        return typed_column(values, spec)

    def agree(self, frame: pd.DataFrame, rows: np.ndarray, free: pd.DataFrame, rng):
        """Change free input cells of ``rows`` so that those rows keep the rule.

        ``free`` marks the cells that may change; ``rng`` draws (``None``: the most
        typical value).
        """
        raise NotImplementedError

    def settle(self, frame: pd.DataFrame, free: pd.DataFrame) -> None:
        """Make the ``free`` input cells valid for :meth:`derive` (a day inside its
        month); most rules need nothing."""

    def holds(self, frame: pd.DataFrame) -> np.ndarray:
        """Whether each row keeps the rule (rows with a missing cell do)."""
        present = _present(frame, self.columns)
        derived = self.derive(frame)
        actual = frame[self.dependent].to_numpy()
        keeps = np.ones(len(frame), dtype=bool)
        keeps[present] = self._equal(actual[present], derived[present])
        return keeps

    def _equal(self, actual: np.ndarray, derived: np.ndarray) -> np.ndarray:
        return (
            pd.Series(actual, dtype=object).eq(pd.Series(derived, dtype=object)).to_numpy()
        )

    def _to_change(self, frame: pd.DataFrame, rows: np.ndarray, free: pd.DataFrame):
        """The given dependent values, and which of ``rows`` break the rule with a
        given dependent cell and a free (first) input."""
        wanted = frame[self.dependent].astype(object).to_numpy()
        fix = rows & free[self.inputs[0]].to_numpy() & ~self.holds(frame)
        return wanted, fix & frame[self.dependent].notna().to_numpy()

    def to_dict(self) -> dict:
        """The rule as plain data: its family, text, columns, support and origin."""
        return {
            "rule": self.describe(),
            "kind": type(self).__name__.removesuffix("Rule").lower(),
            "dependent": self.dependent,
            "inputs": list(self.inputs),
            "support": self.support,
            "weak": self.weak,
            "declared": self.declared,
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()!r}>"


@dataclass(eq=False, repr=False)
class LinearRule(Rule):
    """``dependent = c1 * x1 + c2 * x2 + ... + constant`` exactly (up to ``tolerance``,
    the columns' own rounding)."""

    coefficients: tuple = ()
    constant: float = 0.0
    tolerance: float = 0.0

    family = LINEAR

    def describe(self) -> str:
        terms = []
        for name, c in zip(self.inputs, self.coefficients, strict=True):
            sign = "-" if c < 0 else "+"
            size = abs(c)
            text = (
                column_text(name)
                if size == 1
                else f"{_number_text(size)} * {column_text(name)}"
            )
            terms.append((sign, text))
        if self.constant:
            terms.append(
                ("-" if self.constant < 0 else "+", _number_text(abs(self.constant)))
            )
        first_sign, first = terms[0]
        body = ("-" if first_sign == "-" else "") + first
        body += "".join(f" {sign} {text}" for sign, text in terms[1:])
        return f"{column_text(self.dependent)} = {body}"

    def derive(self, frame: pd.DataFrame) -> np.ndarray:
        total = np.full(len(frame), float(self.constant))
        for name, c in zip(self.inputs, self.coefficients, strict=True):
            total = total + c * numbers(frame[name])
        return total

    def _equal(self, actual, derived) -> np.ndarray:
        return np.abs(actual.astype(np.float64) - derived) <= self.tolerance

    def solved_for(self, name: Hashable) -> LinearRule:
        """The same identity written for its input ``name``."""
        j = self.inputs.index(name)
        c = self.coefficients[j]
        others = [
            (n, k)
            for i, (n, k) in enumerate(zip(self.inputs, self.coefficients, strict=True))
            if i != j
        ]
        return LinearRule(
            name,
            (self.dependent, *(n for n, _ in others)),
            support=self.support,
            declared=self.declared,
            coefficients=(snap(1 / c), *(snap(-k / c) for _, k in others)),
            constant=snap(-self.constant / c),
            tolerance=self.tolerance / abs(c),
        )

    def agree(self, frame, rows, free, rng) -> None:
        # The last free input of each row takes the value that makes the sum exact.
        todo = rows & _present(frame, [self.dependent])
        target = numbers(frame[self.dependent])
        for j in reversed(range(len(self.inputs))):
            name, c = self.inputs[j], self.coefficients[j]
            mine = todo & free[name].to_numpy()
            if not mine.any():
                continue
            others = self.derive(frame) - c * np.nan_to_num(numbers(frame[name]))
            solved = (target - others) / c
            column = numbers(frame[name])
            column[mine] = solved[mine]
            frame[name] = column
            todo &= ~mine


@dataclass(eq=False, repr=False)
class OrderRule(Rule):
    """``inputs[0] <= dependent`` in every row: ``dependent`` is the upper column."""

    family = ORDER

    @property
    def lower(self) -> Hashable:
        """The column that is never larger."""
        return self.inputs[0]

    @property
    def upper(self) -> Hashable:
        """The column that is never smaller."""
        return self.dependent

    def key(self) -> tuple:
        return (ORDER, self.lower, self.upper)

    def describe(self) -> str:
        return f"{column_text(self.lower)} <= {column_text(self.upper)}"

    def holds(self, frame: pd.DataFrame) -> np.ndarray:
        lower, upper = numbers(frame[self.lower]), numbers(frame[self.upper])
        with np.errstate(invalid="ignore"):
            return ~(lower > upper)

    def derive(self, frame):  # an order is kept through its gap, not derived
        raise TypeError("an order rule is kept through the gap it models")

    def agree(self, frame, rows, free, rng) -> None:
        """A given upper value below a free lower one pulls the lower one down to it."""
        lower, upper = numbers(frame[self.lower]), numbers(frame[self.upper])
        with np.errstate(invalid="ignore"):
            fix = rows & free[self.lower].to_numpy() & (lower > upper)
        lower[fix] = upper[fix]
        frame[self.lower] = lower


@dataclass(eq=False, repr=False)
class MappingRule(Rule):
    """Every level of ``inputs[0]`` goes with one level of ``dependent``
    (``sub_grade -> grade``; a one-to-one code ↔ label pair is one too)."""

    source_levels: np.ndarray = field(default=None, repr=False)
    dependent_levels: np.ndarray = field(default=None, repr=False)
    counts: np.ndarray = field(default=None, repr=False)

    @property
    def source(self) -> Hashable:
        """The determining column."""
        return self.inputs[0]

    def describe(self) -> str:
        return f"{column_text(self.source)} -> {column_text(self.dependent)}"

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """Each row's place in ``source_levels`` (``-1``: missing or unseen)."""
        # Matched once per distinct value, not once per row.
        codes, uniques = pd.factorize(frame[self.source])
        places = pd.Index(self.source_levels).get_indexer(np.asarray(uniques, dtype=object))
        return np.append(places, -1)[codes]

    def derive(self, frame: pd.DataFrame) -> np.ndarray:
        index = self.positions(frame)
        out = self.dependent_levels[np.maximum(index, 0)].astype(object)
        out[index < 0] = np.nan
        return out

    def derive_typed(self, frame: pd.DataFrame, spec) -> pd.Series:
        index = self.positions(frame)
        # A column of objects would be converted value by value: the levels are
        # converted once and taken. Object dtypes choose their numbers' type by the
        # whole column, and a missing cell may not fit the dtype: the general way.
        if (index < 0).any() or pd.api.types.is_object_dtype(spec.dtype):
            return super().derive_typed(frame, spec)
        levels = typed_column(pd.Series(self.dependent_levels, dtype=object), spec)
        return pd.Series(levels.array.take(index), index=frame.index, dtype=spec.dtype)

    def agree(self, frame, rows, free, rng) -> None:
        wanted, fix = self._to_change(frame, rows, free)
        if not fix.any():
            return
        column = np.array(frame[self.source].astype(object).to_numpy(), copy=True)
        for level in pd.unique(wanted[fix]):
            mine = fix & (wanted == level)
            options = np.flatnonzero(self.dependent_levels == level)
            weights = self.counts[options] / self.counts[options].sum()
            if rng is None:
                picks = np.full(mine.sum(), options[np.argmax(weights)])
            else:
                picks = rng.choice(options, size=int(mine.sum()), p=weights)
            column[mine] = self.source_levels[picks]
        frame[self.source] = pd.Series(column, index=frame.index).astype(
            frame[self.source].dtype
        )


@dataclass(eq=False, repr=False)
class ThresholdRule(Rule):
    """``dependent`` is ``labels[k]`` where ``cuts[k-1] <= inputs[0] < cuts[k]``
    (``low = 1 if bwt < 2500, else 0``).

    ``placed`` is set where the label follows from another rule (``grade`` from
    ``sub_grade``): the rule is then kept the other way round, the number being
    modelled as its place inside its label's training range (:meth:`place_of`) and
    rebuilt from the label (:meth:`place`).
    """

    cuts: np.ndarray = field(default=None, repr=False)
    labels: np.ndarray = field(default=None, repr=False)
    lows: np.ndarray = field(default=None, repr=False)
    highs: np.ndarray = field(default=None, repr=False)
    placed: bool = False

    @property
    def source(self) -> Hashable:
        """The numeric column whose thresholds give the label."""
        return self.inputs[0]

    @property
    def computes(self) -> Hashable:
        return self.source if self.placed else self.dependent

    @property
    def needs(self) -> tuple:
        return (self.dependent,) if self.placed else self.inputs

    def _range_of(self, label) -> tuple[np.ndarray, np.ndarray]:
        """Each row's label's training range; a missing label or one training rows
        never had gets the whole range of the number."""
        index = pd.Index(self.labels).get_indexer(pd.Series(label, dtype=object))
        known = index >= 0
        low = np.where(known, self.lows[np.maximum(index, 0)], self.lows.min())
        high = np.where(known, self.highs[np.maximum(index, 0)], self.highs.max())
        return low, high

    def place_of(self, frame: pd.DataFrame) -> np.ndarray:
        """Where the number lies inside its label's range, from 0 to 1 (``nan`` where
        it is missing); a missing or absent label is the one the thresholds give."""
        x = numbers(frame[self.source])
        label = self.derive(frame)
        if self.dependent in frame.columns:
            given = frame[self.dependent].to_numpy(dtype=object)
            label = np.where(pd.isna(given), label, given)
        low, high = self._range_of(label)
        span = high - low
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(span > 0, (x - low) / span, 0.0)
        return np.where(np.isnan(x), np.nan, share)

    def place(self, frame: pd.DataFrame) -> np.ndarray:
        """The number rebuilt from its place (the column :attr:`source` holds it) and
        its label: inside the label's range, so the rule holds."""
        low, high = self._range_of(frame[self.dependent])
        share = np.clip(numbers(frame[self.source]), 0.0, 1.0)
        return low + share * (high - low)

    def with_ranges_of(self, frame: pd.DataFrame) -> ThresholdRule:
        """The rule with each label's range taken from all rows of ``frame`` (the
        search may have seen a sample of them)."""
        x = numbers(frame[self.source])
        index = pd.Index(self.labels).get_indexer(frame[self.dependent].astype(object))
        seen = (index >= 0) & ~np.isnan(x)
        ranges = pd.Series(x[seen]).groupby(index[seen]).agg(["min", "max"])
        lows = ranges["min"].reindex(range(len(self.labels))).to_numpy()
        highs = ranges["max"].reindex(range(len(self.labels))).to_numpy()
        return dataclasses.replace(
            self,
            lows=np.where(np.isnan(lows), self.lows, lows),
            highs=np.where(np.isnan(highs), self.highs, highs),
        )

    def describe(self) -> str:
        parts = [
            f"{_value_text(label)} if {column_text(self.source)} < {cut:g}"
            for label, cut in zip(self.labels[:-1], self.cuts, strict=True)
        ]
        parts.append(f"else {_value_text(self.labels[-1])}")
        return f"{column_text(self.dependent)} = " + ", ".join(parts)

    def derive(self, frame: pd.DataFrame) -> np.ndarray:
        x = numbers(frame[self.source])
        index = np.searchsorted(self.cuts, x, side="right")
        out = self.labels[np.minimum(index, len(self.labels) - 1)].astype(object)
        out[np.isnan(x)] = np.nan
        return out

    def agree(self, frame, rows, free, rng) -> None:
        wanted, fix = self._to_change(frame, rows, free)
        if not fix.any():
            return
        x = numbers(frame[self.source])
        low, high = self._range_of(wanted[fix])
        share = 0.5 if rng is None else rng.uniform(size=len(low))
        x[fix] = low + share * (high - low)
        frame[self.source] = x


@dataclass(eq=False, repr=False)
class DigitsRule(Rule):
    """``dependent = (inputs[0] // divisor) % modulus`` for whole numbers
    (``hour = sched_dep_time // 100``; ``modulus=0``: no remainder taken)."""

    divisor: int = 1
    modulus: int = 0

    @property
    def source(self) -> Hashable:
        """The whole-number column whose digits give the dependent one."""
        return self.inputs[0]

    def describe(self) -> str:
        text = column_text(self.source)
        if self.divisor > 1:
            text = f"{text} // {self.divisor}"
        if self.modulus:
            text = (
                f"({text}) % {self.modulus}"
                if self.divisor > 1
                else f"{text} % {self.modulus}"
            )
        return f"{column_text(self.dependent)} = {text}"

    def _part(self, x: np.ndarray) -> np.ndarray:
        part = np.floor_divide(x, self.divisor)
        return np.mod(part, self.modulus) if self.modulus else part

    def derive(self, frame):
        return self._part(numbers(frame[self.source]))

    def _equal(self, actual, derived):
        return actual.astype(np.float64) == derived

    def agree(self, frame, rows, free, rng) -> None:
        x, wanted = numbers(frame[self.source]), numbers(frame[self.dependent])
        fix = rows & free[self.source].to_numpy() & ~np.isnan(wanted) & ~np.isnan(x)
        x[fix] += (wanted[fix] - self._part(x[fix])) * self.divisor
        frame[self.source] = x
