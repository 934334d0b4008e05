"""``TableStructure``: the columns the model sees, and the way back to the user's table.

The model sees the **free** columns only. On the way in (:meth:`modelled`) a derived
column, a key and a constant are dropped, and the upper column of an enforced
inequality is replaced by its **gap** to its lower columns (``upper - max(lowers)``,
which is never negative in training and so never negative in output). On the way out
(:meth:`restore`) the uppers are rebuilt from their gaps, the derived columns computed
from their inputs, fresh keys made and constants put back: every enforced rule holds
in every generated, reconstructed or imputed row by construction. The number of a
*placed* threshold rule is modelled as its place inside its label's range and rebuilt
from the label (:class:`~.rules.ThresholdRule`).

Given cells (a condition of ``sample``, the observed cells of an imputed row) are kept
exactly; where a given cell is the dependent of a rule and an input is free, the
free input is changed to agree (:meth:`Rule.agree`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..cells import put_cells
from .dates import DatePartRule, DateRule
from .plan import derivation_order, order_levels
from .rules import DigitsRule, LinearRule, MappingRule, OrderRule, ThresholdRule
from .values import numbers, typed_column

#: Every rule class a :class:`TableStructure` may hold.
RULE_TYPES = (
    LinearRule,
    OrderRule,
    MappingRule,
    ThresholdRule,
    DigitsRule,
    DatePartRule,
    DateRule,
)


@dataclass(eq=False)
class TableStructure:
    """Kinds of columns and rules a fit found or was told (see the module docstring).

    Parameters
    ----------
    names : tuple
        The columns, in the table's order.
    kinds : tuple of str
        Each column's kind (see :data:`~.schema.KINDS`).
    rules : list of Rule
        Every rule found or declared.
    reasons : tuple of str
        Per rule: ``""`` if it is enforced, else why not.
    keys : list of KeyFormat
        The key columns' formats.
    """

    names: tuple
    kinds: tuple
    rules: list = field(default_factory=list)
    reasons: tuple = ()
    keys: list = field(default_factory=list)

    # ----------------------------------------------------------- what is enforced
    @property
    def enforced(self) -> list:
        """The rules kept by construction."""
        return [r for r, why in zip(self.rules, self.reasons, strict=True) if not why]

    @property
    def derived(self) -> list:
        """The enforced rules that compute a column, in the order they are computed."""
        return derivation_order([r for r in self.enforced if not isinstance(r, OrderRule)])

    @property
    def gaps(self) -> list[tuple[Hashable, list]]:
        """(upper column, its lower columns) of enforced orders, lowers first."""
        return order_levels([r for r in self.enforced if isinstance(r, OrderRule)])

    @property
    def placed_columns(self) -> dict:
        """``{number column: placed threshold rule}``."""
        return {r.computes: r for r in self.enforced if r.placed}

    def draws(self, *, given: bool) -> bool:
        """Whether restoring rows draws random numbers: for pattern keys, and for free
        cells that must agree with ``given`` ones."""
        pattern_keys = any(not key.numbered for key in self.keys)
        return pattern_keys or (given and bool(self.enforced))

    @property
    def not_modelled(self) -> set:
        """Columns the model does not see: derived ones, keys and constants."""
        derived = {r.computes for r in self.derived if not r.placed}
        return derived | {
            n
            for n, k in zip(self.names, self.kinds, strict=True)
            if k in ("key", "constant")
        }

    @property
    def modelled_names(self) -> list:
        """The model's columns, in the table's order (a gap under its upper's name)."""
        hidden = self.not_modelled
        return [n for n in self.names if n not in hidden]

    # ------------------------------------------------------------------- way in
    def modelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` as the model sees it; a column ``frame`` lacks stays absent."""
        gaps = dict(self.gaps)
        placed = self.placed_columns
        out = {}
        for name in self.modelled_names:
            if name not in frame.columns:
                continue
            if name in placed:
                out[name] = pd.Series(placed[name].place_of(frame), index=frame.index)
                continue
            if name not in gaps:
                out[name] = frame[name]
                continue
            if not all(lower in frame.columns for lower in gaps[name]):
                out[name] = pd.Series(np.nan, index=frame.index)
                continue
            out[name] = self._gap(frame, name, gaps[name])
        # Not copied: the columns taken as they are stay the caller's arrays (every
        # user of this frame only reads it); a copy was the whole table again.
        return pd.DataFrame(out, index=frame.index, columns=list(out), copy=False)

    @staticmethod
    def _gap(frame: pd.DataFrame, upper, lowers) -> pd.Series:
        bound = np.max(np.column_stack([numbers(frame[n]) for n in lowers]), axis=1)
        gap = pd.Series(numbers(frame[upper]) - bound, index=frame.index)
        integer = all(
            isinstance(frame[n].dtype, np.dtype) and frame[n].dtype.kind in "iu"
            for n in (upper, *lowers)
        )
        return gap.astype(np.int64) if integer and gap.notna().all() else gap

    # ------------------------------------------------------------------ way out
    def restore(
        self,
        modelled: pd.DataFrame,
        specs: dict,
        *,
        given: pd.DataFrame | None = None,
        first_row: int = 0,
        rng=None,
    ) -> pd.DataFrame:
        """The user's columns from decoded model columns (see the module docstring).

        Parameters
        ----------
        modelled : DataFrame
            Decoded model columns (gaps under their uppers' names), ``RangeIndex``.
        specs : dict
            ``{name: ColumnSpec}`` of the user's columns (dtype, range, decimals).
        given : DataFrame or None, default=None
            Cells to keep exactly (missing = free), any subset of the user's columns,
            same index as ``modelled``. Given keys are kept too.
        first_row : int, default=0
            Position of the first row among all rows of this call (numbered keys).
        rng : RandomState or None, default=None
            Source of fresh pattern keys and of draws that make free cells agree with
            given ones; ``None`` takes the most typical value.

        Returns
        -------
        DataFrame
            The user's columns, in order and with their dtypes.
        """
        # Not a deep copy: restoring replaces whole columns, never writes into one.
        frame = modelled.copy(deep=False)
        index = frame.index
        given = pd.DataFrame(index=index) if given is None else given
        fixed = pd.DataFrame(
            np.zeros((len(index), len(self.names)), dtype=bool), index, self.names
        )
        for name in given.columns.intersection(self.names):
            fixed[name] = given[name].notna().to_numpy()
        uppers = {upper for upper, _ in self.gaps}
        placed = self.placed_columns
        plain = [
            n
            for n in frame.columns
            if n in given.columns and n not in uppers and n not in placed
        ]
        put_cells(frame, given[plain])
        self._rebuild_uppers(frame, specs, given, fixed)
        derived = self.derived
        unknown = pd.Series(np.nan, index=index, dtype=object)
        for rule in derived:
            if not rule.placed:
                frame[rule.dependent] = (
                    given[rule.dependent].astype(object)
                    if rule.dependent in given.columns
                    else unknown
                )
        for rule in placed.values():  # a given number fixes its label
            rows = fixed[rule.source].to_numpy() & ~fixed[rule.dependent].to_numpy()
            if rows.any():
                labels = rule.derive(given[[rule.source]])
                column = np.array(frame[rule.dependent].to_numpy(dtype=object), copy=True)
                column[rows] = labels[rows]
                frame[rule.dependent] = column
                fixed.loc[rows, rule.dependent] = True
        dependents = {r.computes for r in derived}
        changeable = ~fixed
        for name in dependents:
            changeable[name] = False
        for rule in derived:
            rows = (
                fixed[rule.dependent].to_numpy()
                & changeable[list(rule.inputs)].any(axis=1).to_numpy()
            )
            if rows.any():
                rule.agree(frame, rows, changeable, rng)
        for rule in derived:
            rule.settle(frame, changeable)
            frame[rule.computes] = self._derived_column(rule, frame, specs, given, fixed)
        self._put_keys_and_constants(frame, specs, given, fixed, first_row, rng)
        return pd.DataFrame(
            {n: typed_column(frame[n], specs[n]) for n in self.names},
            index=index,
            columns=pd.Index(self.names),
            copy=False,  # the columns are this call's own: not consolidated
        )

    @staticmethod
    def _derived_column(rule, frame, specs, given, fixed):
        """The column ``rule`` computes, its given cells kept."""
        name = rule.computes
        keep = fixed[name].to_numpy()
        if rule.placed:
            values = _rounded(rule.place(frame), specs[name])
            current = numbers(given[name]) if name in given.columns else values
            return np.where(keep, current, values)
        if not keep.any():
            return rule.derive_typed(frame, specs[name])
        values = rule.derive(frame).astype(object)
        current = frame[name].to_numpy(dtype=object)
        return pd.Series(np.where(keep, current, values), frame.index, dtype=object)

    def _rebuild_uppers(self, frame, specs, given, fixed) -> None:
        for upper, lowers in self.gaps:
            spec = specs[upper]
            bound = np.max(np.column_stack([numbers(frame[n]) for n in lowers]), axis=1)
            value = np.clip(bound + numbers(frame[upper]), spec.lower, spec.upper)
            value = _round_up_to(value, bound, spec)
            if upper in given.columns:
                keep = fixed[upper].to_numpy()
                value[keep] = numbers(given[upper])[keep]
            frame[upper] = value
        for rule in self.enforced:
            if isinstance(rule, OrderRule) and rule.upper in given.columns:
                rule.agree(frame, fixed[rule.upper].to_numpy(), ~fixed, None)

    def _put_keys_and_constants(self, frame, specs, given, fixed, first_row, rng) -> None:
        rng = np.random.RandomState(0) if rng is None else rng
        n = len(frame)
        for key in self.keys:
            values = key.generate(n, first_row, specs[key.name].dtype, rng).set_axis(
                frame.index
            )
            if key.name in given.columns:
                values = values.astype(object).where(~fixed[key.name], given[key.name])
            frame[key.name] = values
        for name, kind in zip(self.names, self.kinds, strict=True):
            if kind == "constant":
                frame[name] = pd.Series(
                    specs[name].levels[0], index=frame.index, dtype=object
                )


def _rounded(value: np.ndarray, spec) -> np.ndarray:
    """``value`` rounded as the column is: to whole multiples of its step above its
    minimum, else to its decimals."""
    if spec.step is not None:
        step, origin = float(spec.step), float(spec.origin)
        return origin + np.rint((value - origin) / step) * step
    return value if spec.decimals is None else np.round(value, spec.decimals)


def _round_up_to(value: np.ndarray, bound: np.ndarray, spec) -> np.ndarray:
    """``value`` rounded as the column is (:func:`_rounded`), never below ``bound``: a
    rounded upper value stays above its lower ones."""
    rounded = _rounded(value, spec)
    if spec.step is not None:
        step, origin = float(spec.step), float(spec.origin)
        above = origin + np.ceil((bound - origin) / step) * step
    elif spec.decimals is not None:
        above = np.ceil(bound * 10.0**spec.decimals - 1e-9) / 10.0**spec.decimals
    else:
        return value
    return np.where(rounded < bound, above, rounded)
