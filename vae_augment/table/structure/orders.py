"""Inequalities between number columns (``Hits <= AtBat``) that the rows show.

An inequality is kept only when chance could not explain it: it must hold in every row
where both cells are observed, and the chance that it would under independence (the
share of all value pairs in that order, to the power of the rows) must be below
:data:`CHANCE`; so ``Years <= AtBat`` (years 1-24, at-bats 16-687) is no rule. Implied
inequalities are dropped (``a <= c`` when ``a <= b <= c``). Cost: ``n_rows x
n_columns**2`` comparisons, in blocks of one column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .rules import OrderRule
from .values import numbers

#: Most a rule's evidence may be explained by chance (independent columns).
CHANCE = 1e-6


def _chance_log(lower: np.ndarray, upper: np.ndarray) -> float:
    """log P(all rows in order | independent columns): rows x log(share of pairs)."""
    sorted_upper = np.sort(upper)
    share = 1.0 - np.searchsorted(sorted_upper, lower, side="left").mean() / len(upper)
    return len(lower) * np.log(max(share, 1e-300))


def find_orders(frame: pd.DataFrame, names: list) -> list[OrderRule]:
    """``a <= b`` rules among the number columns ``names`` (see the module docstring)."""
    if len(names) < 2:
        return []
    values = np.column_stack([numbers(frame[name]) for name in names])
    observed = ~np.isnan(values)
    p = len(names)
    below = np.zeros((p, p), dtype=bool)
    with np.errstate(invalid="ignore"):
        for i in range(p):
            both = observed[:, [i]] & observed
            ordered = (values[:, [i]] <= values) | ~both
            below[i] = ordered.all(axis=0) & (both.sum(axis=0) > 0)
    np.fill_diagonal(below, False)
    below &= ~below.T  # equal columns are a linear identity, not an order
    for i, j in zip(*np.nonzero(below), strict=True):
        both = observed[:, i] & observed[:, j]
        if _chance_log(values[both, i], values[both, j]) > np.log(CHANCE):
            below[i, j] = False
    implied = (below.astype(np.int64) @ below.astype(np.int64)) > 0
    kept = below & ~implied
    return [
        OrderRule(
            names[j], (names[i],), support=int((observed[:, i] & observed[:, j]).sum())
        )
        for i, j in zip(*np.nonzero(kept), strict=True)
    ]
