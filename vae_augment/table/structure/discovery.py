"""Finding the rules of a training table (see :mod:`.rules` for what they are).

The search runs on at most :data:`SEARCH_ROWS` rows (a fixed-seed sample) and every
rule found is then checked on all rows: a rule is kept only if every training row keeps
it. Cost for ``p`` columns: an SVD of ``SEARCH_ROWS x p_numbers`` for identities,
``SEARCH_ROWS x p_numbers**2`` comparisons for inequalities, ``SEARCH_ROWS`` per pair
of label columns for mappings and per number/label pair for thresholds; about a second
for 100 columns of 20,000 rows on one core. Wider tables than :data:`MAX_COLUMNS`
number or label columns are searched on their first ``MAX_COLUMNS`` of each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kinds import CATEGORICAL, column_kind, is_time_dtype
from .linear import find_linear
from .mappings import MAX_THRESHOLD_LEVELS, find_mappings
from .orders import find_orders
from .parts import find_date_parts, find_dates, find_digits
from .rules import ThresholdRule
from .values import is_number_column, numbers, whole

#: Rows the search looks at; rules are then checked on all rows.
SEARCH_ROWS = 20_000
#: Most number columns, and most label columns, searched.
MAX_COLUMNS = 200


def search_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows the search looks at: all, or a fixed-seed sample of ``SEARCH_ROWS``."""
    if len(frame) <= SEARCH_ROWS:
        return frame
    rows = np.sort(np.random.RandomState(0).choice(len(frame), SEARCH_ROWS, replace=False))
    return frame.iloc[rows]


def find_rules(frame: pd.DataFrame, free: list, categorical: set) -> list:
    """Every rule the columns ``free`` keep in all rows of ``frame``, most specific
    first (datetimes made of parts, date parts, identities, digits, mappings and
    thresholds, inequalities).

    Parameters
    ----------
    frame : DataFrame
        The training rows.
    free : list
        Columns that may take part (not keys, not constant).
    categorical : set
        Columns modelled as categories whatever their dtype.
    """
    rows = search_rows(frame)
    numbers_, labels, datetimes = [], [], []
    for name in free:
        series = rows[name]
        if name not in categorical and is_number_column(series):
            numbers_.append(name)
        elif name not in categorical and is_time_dtype(series.dtype):
            if pd.api.types.is_datetime64_any_dtype(series.dtype):
                datetimes.append(name)
        elif name in categorical or column_kind(series) == CATEGORICAL:
            if series.nunique() <= len(series) // 2:
                labels.append(name)
    numbers_, labels = numbers_[:MAX_COLUMNS], labels[:MAX_COLUMNS]
    whole_numbers = [n for n in numbers_ if whole(numbers(rows[n]))]
    few_values = [n for n in whole_numbers if rows[n].nunique() <= MAX_THRESHOLD_LEVELS]
    date_parts = find_date_parts(rows, datetimes, whole_numbers)
    found = [
        *find_dates(rows, date_parts),
        *date_parts,
        *find_linear(rows, numbers_),
        *find_digits(rows, whole_numbers),
        *find_mappings(rows, labels, numbers_, few_values),
        *find_orders(rows, numbers_),
    ]
    kept = [rule for rule in found if _holds_everywhere(rule, frame)]
    return [
        rule.with_ranges_of(frame) if isinstance(rule, ThresholdRule) else rule
        for rule in kept
    ]


def _holds_everywhere(rule, frame: pd.DataFrame) -> bool:
    """Whether every row of ``frame`` keeps ``rule``; sets its support on all rows."""
    if not rule.holds(frame).all():
        return False
    rule.support = int(frame[list(rule.columns)].notna().all(axis=1).sum())
    return True
