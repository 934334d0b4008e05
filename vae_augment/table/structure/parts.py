"""Columns that are parts of another: digits of a number (``hour = hhmm // 100``,
``minute = hhmm % 100``) and parts of a datetime (``month = date.month``), and
datetimes made of such parts.

Cost: for each whole-number source, one comparison per digit split and dependent
column; for each datetime, one per part and whole-number column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dates import COMPOSED_OF, DATE_PARTS, DatePartRule, DateRule
from .rules import DigitsRule
from .values import numbers


def _same(candidate: np.ndarray, values: np.ndarray, observed: np.ndarray) -> bool:
    both = observed & ~np.isnan(candidate)
    return bool(both.any()) and bool(np.all(candidate[both] == values[both]))


def find_digits(frame: pd.DataFrame, whole_numbers: list) -> list[DigitsRule]:
    """Digit rules among whole-number columns (sources of 3 or more digits)."""
    columns = {name: numbers(frame[name]) for name in whole_numbers}
    rules = []
    for source, x in columns.items():
        largest = np.nanmax(np.abs(x))
        if not np.isfinite(largest) or largest < 100 or np.nanmin(x) < 0:
            continue
        digits = len(str(int(largest)))
        splits = [(10**k, 0) for k in range(1, digits)]
        splits += [(1, 10**m) for m in range(1, digits)]
        splits += [(10**k, 10**m) for k in range(1, digits) for m in range(1, digits - k)]
        for divisor, modulus in splits:
            rule = DigitsRule(None, (source,), divisor=divisor, modulus=modulus)
            part = rule._part(x)
            for dependent, y in columns.items():
                observed = ~np.isnan(y)
                if dependent != source and np.nanstd(y) > 0 and _same(part, y, observed):
                    rules.append(
                        DigitsRule(
                            dependent,
                            (source,),
                            support=int((observed & ~np.isnan(x)).sum()),
                            divisor=divisor,
                            modulus=modulus,
                        )
                    )
    return rules


def find_date_parts(
    frame: pd.DataFrame, datetimes: list, whole_numbers: list
) -> list[DatePartRule]:
    """Date-part rules from datetime columns to whole-number columns."""
    columns = {name: numbers(frame[name]) for name in whole_numbers}
    rules = []
    for source in datetimes:
        for part in DATE_PARTS:
            rule = DatePartRule(None, (source,), part=part)
            values = rule.derive(frame)
            for dependent, y in columns.items():
                observed = ~np.isnan(y)
                if np.nanstd(y) > 0 and _same(values, y, observed):
                    rules.append(
                        DatePartRule(
                            dependent,
                            (source,),
                            support=int((observed & ~np.isnan(values)).sum()),
                            part=part,
                        )
                    )
    return rules


def find_dates(frame: pd.DataFrame, part_rules: list[DatePartRule]) -> list[DateRule]:
    """Datetimes made of the part columns ``part_rules`` found (one column per part),
    every other part being the same in every row."""
    held: dict = {}
    for rule in part_rules:
        if rule.part in COMPOSED_OF:
            held.setdefault(rule.source, {}).setdefault(rule.part, rule.dependent)
    # A weekday (quarter, day of the year) column stays derived from a modelled datetime:
    # a given weekday can then move the datetime, which parts could not follow.
    other = {r.source for r in part_rules if r.part not in COMPOSED_OF}
    rules = []
    for source, columns in held.items():
        if source in other:
            continue
        times = pd.to_datetime(frame[source])
        fill = []
        for part in COMPOSED_OF:
            values = getattr(times.dt, part).dropna().unique()
            if part not in columns and len(values) != 1:
                break
            fill.append(0 if part in columns else int(values[0]))
        else:
            zone = times.dt.tz
            rule = DateRule(
                source,
                tuple(columns.values()),
                parts=tuple(columns),
                fill=tuple(fill),
                timezone=None if zone is None else str(zone),
            )
            if _zone_known(rule.timezone) and rule.holds(frame).all():
                rules.append(rule)
    return rules


def _zone_known(zone: str | None) -> bool:
    """Whether a time zone's name localises a datetime again."""
    try:
        pd.Timestamp(2000, 1, 1).tz_localize(zone)
    except (ValueError, TypeError, KeyError):
        return False
    return True
