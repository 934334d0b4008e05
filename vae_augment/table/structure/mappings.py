"""A column determined by another: by level (``sub_grade -> grade``) or by thresholds on
a number (``low = 1 if bwt < 2500, else 0``).

As for orders (:mod:`.orders`), a rule is kept only when chance could not explain it:
under independence, every level of the source holding one dependent value has
probability ``prod_levels sum_j p_j ** n_level`` (``p_j`` the dependent's frequencies),
and the dependent's levels each lying in one interval of the sorted source values has
``k! / multinomial(n; counts)`` (over the source's distinct values); both must be below
:data:`~.orders.CHANCE`. A source with a level per row thus determines nothing. Cost:
one pass over the rows per pair of candidate columns.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .orders import CHANCE
from .rules import MappingRule, ThresholdRule
from .values import numbers

#: Most levels a column determined by thresholds may have.
MAX_THRESHOLD_LEVELS = 20


def label_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 where missing) and levels of a label column."""
    codes, levels = pd.factorize(series.astype(object), sort=False)
    return codes, np.asarray(levels, dtype=object)


def mapping_rule(frame, source, dependent, codes, chance=CHANCE) -> MappingRule | None:
    """``source -> dependent`` by level, if the rows show it (beyond ``chance``)."""
    a, a_levels = codes[source]
    b, b_levels = codes[dependent]
    both = (a >= 0) & (b >= 0)
    if both.sum() == 0 or len(b_levels) < 2:
        return None
    a, b = a[both], b[both]
    pairs = np.unique(a * len(b_levels) + b)
    pair_a = pairs // len(b_levels)
    if len(np.unique(pair_a)) != len(pair_a):  # some source level has two values
        return None
    counts = np.bincount(a, minlength=len(a_levels))
    frequency = np.bincount(b, minlength=len(b_levels)) / len(b)
    present = counts > 0
    log_frequency = np.log(frequency[frequency > 0])
    sizes, repeats = np.unique(counts[counts > 1], return_counts=True)
    log_chance = sum(
        r * float(np.logaddexp.reduce(m * log_frequency))
        for m, r in zip(sizes, repeats, strict=True)
    )
    if log_chance > math.log(chance):
        return None
    target = np.full(len(a_levels), -1)
    target[pair_a] = pairs % len(b_levels)
    keep = present & (target >= 0)
    return MappingRule(
        dependent,
        (source,),
        support=int(both.sum()),
        source_levels=a_levels[keep],
        dependent_levels=b_levels[target[keep]],
        counts=counts[keep],
    )


def _roundest(low: float, high: float) -> float:
    """The roundest number ``c`` with ``low < c <= high`` (``2500`` in (2495, 2510])."""
    for power in range(15, -10, -1):
        step = 10.0**power
        c = math.floor(low / step) * step + step
        if c <= high:
            return float(round(c, 10))
    return float(high)


def threshold_rule(frame, source, dependent, codes, chance=CHANCE) -> ThresholdRule | None:
    """``dependent`` by thresholds of ``source``, if the rows show it (beyond chance)."""
    x = numbers(frame[source])
    labels_codes, levels = codes[dependent]
    both = ~np.isnan(x) & (labels_codes >= 0)
    if both.sum() == 0 or not 2 <= len(levels) <= MAX_THRESHOLD_LEVELS:
        return None
    x, labels = x[both], labels_codes[both]
    distinct, inverse = np.unique(x, return_inverse=True)
    per_value = np.full(len(distinct), -1)
    per_value[inverse] = labels
    if len(np.unique(inverse * len(levels) + labels)) != len(distinct):
        return None  # one source value with two labels
    runs = np.flatnonzero(np.diff(per_value)) + 1
    run_labels = per_value[np.r_[0, runs]]
    if len(run_labels) != len(np.unique(run_labels)) or len(run_labels) < 2:
        return None  # a label in two intervals
    counts = np.bincount(per_value)[run_labels]
    n = len(distinct)
    log_chance = math.lgamma(len(counts) + 1) - (
        math.lgamma(n + 1) - sum(math.lgamma(int(c) + 1) for c in counts)
    )
    if log_chance > math.log(chance):
        return None
    starts = np.r_[0, runs]
    ends = np.r_[runs, n] - 1
    cuts = [_roundest(distinct[ends[k]], distinct[starts[k + 1]]) for k in range(len(runs))]
    return ThresholdRule(
        dependent,
        (source,),
        support=int(both.sum()),
        cuts=np.asarray(cuts),
        labels=levels[run_labels],
        lows=distinct[starts],
        highs=distinct[ends],
    )


def find_mappings(
    frame: pd.DataFrame, categorical: list, numeric: list, few_values: list
) -> list:
    """Mapping rules among ``categorical + few_values`` columns and threshold rules from
    ``numeric`` columns to ``categorical + few_values`` ones.

    Parameters
    ----------
    frame : DataFrame
        The rows to search.
    categorical : list
        Category columns (not keys, not constant).
    numeric : list
        Number columns (sources of thresholds).
    few_values : list
        Whole-number columns with few values, which may be codes (``race`` 1-3).
    """
    labels = list(dict.fromkeys([*categorical, *few_values]))
    codes = {name: label_codes(frame[name]) for name in labels}
    rules = []
    for source in labels:
        for dependent in labels:
            if source != dependent:
                rule = mapping_rule(frame, source, dependent, codes)
                if rule is not None:
                    rules.append(rule)
    mapped = {(r.source, r.dependent) for r in rules}
    for source in numeric:
        for dependent in labels:
            if source != dependent and (source, dependent) not in mapped:
                rule = threshold_rule(frame, source, dependent, codes)
                if rule is not None:
                    rules.append(rule)
    return rules
