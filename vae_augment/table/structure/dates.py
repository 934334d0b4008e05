"""Rules on datetimes: a part of a datetime (``month = date.month``) and a datetime made
of its parts (``time_hour = datetime(2013, month, day, hour)``).

Where a datetime is made of part columns, the parts are modelled and the datetime
derived: the model then learns each part's own distribution (flights leave between
5:00 and 23:59, which a datetime modelled as one number does not keep).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .rules import Rule, column_text
from .values import numbers

#: The parts of a datetime a :class:`DatePartRule` knows, with the pandas accessor.
DATE_PARTS = (
    "year",
    "quarter",
    "month",
    "day",
    "day_of_year",
    "day_of_week",
    "hour",
    "minute",
    "second",
)
_SHIFTS = {
    "day": "D",
    "day_of_year": "D",
    "day_of_week": "D",
    "hour": "h",
    "minute": "min",
    "second": "s",
}


@dataclass(eq=False, repr=False)
class DatePartRule(Rule):
    """``dependent`` is one part (year, month, hour, ...) of the datetime ``inputs[0]``."""

    part: str = "year"

    @property
    def source(self) -> Hashable:
        """The datetime column."""
        return self.inputs[0]

    def describe(self) -> str:
        return f"{column_text(self.dependent)} = {column_text(self.source)}.{self.part}"

    def derive(self, frame):
        times = pd.to_datetime(frame[self.source])
        return getattr(times.dt, self.part).to_numpy(dtype=np.float64, na_value=np.nan)

    def _equal(self, actual, derived):
        return actual.astype(np.float64) == derived

    def agree(self, frame, rows, free, rng) -> None:
        wanted = numbers(frame[self.dependent])
        times = frame[self.source].copy()
        fix = (
            rows
            & free[self.source].to_numpy()
            & ~np.isnan(wanted)
            & times.notna().to_numpy()
        )
        fix &= ~self.holds(frame)
        if not fix.any():
            return
        delta = wanted[fix] - self.derive(frame)[fix]
        where = times.index[fix]
        if self.part in _SHIFTS:
            times[where] = times[where] + pd.to_timedelta(delta, unit=_SHIFTS[self.part])
        else:
            months = delta * {"year": 12, "quarter": 3, "month": 1}[self.part]
            for step in np.unique(months):
                rows_of = where[months == step]
                times[rows_of] = times[rows_of] + pd.DateOffset(months=int(step))
        frame[self.source] = times


#: The parts a datetime is made of, largest first.
COMPOSED_OF = ("year", "month", "day", "hour", "minute", "second")
_LIMITS = {
    "month": (1, 12),
    "day": (1, 31),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}


@dataclass(eq=False, repr=False)
class DateRule(Rule):
    """``dependent`` is the datetime made of the parts its ``inputs`` hold; every
    other part is the same in every row.

    Parameters
    ----------
    parts : tuple of str
        The part (of :data:`COMPOSED_OF`) each input holds.
    fill : tuple of int
        The value of every part of :data:`COMPOSED_OF` that no input holds.
    timezone : str or None
        The datetime's time zone (its wall-clock parts are the inputs).
    """

    parts: tuple = ()
    fill: tuple = ()
    timezone: str | None = None

    def describe(self) -> str:
        held = dict(zip(self.parts, self.inputs, strict=True))
        args = [
            column_text(held[part]) if part in held else str(int(value))
            for part, value in zip(COMPOSED_OF, self.fill, strict=True)
        ]
        zone = f" in {self.timezone}" if self.timezone else ""
        return f"{column_text(self.dependent)} = datetime({', '.join(args)}){zone}"

    def _values(self, frame: pd.DataFrame) -> dict:
        values = {
            part: np.full(len(frame), float(value))
            for part, value in zip(COMPOSED_OF, self.fill, strict=True)
        }
        for part, name in zip(self.parts, self.inputs, strict=True):
            values[part] = numbers(frame[name])
        return values

    def derive(self, frame: pd.DataFrame) -> np.ndarray:
        times = pd.to_datetime(pd.DataFrame(self._values(frame)), errors="coerce")
        if self.timezone:
            # A wall-clock time that a change of clocks repeats is taken once (standard
            # time); one it skips, as the first time after the gap.
            times = times.dt.tz_localize(
                self.timezone,
                ambiguous=np.zeros(len(times), dtype=bool),
                nonexistent="shift_forward",
            )
        return times.to_numpy(dtype=object)

    def settle(self, frame: pd.DataFrame, free: pd.DataFrame) -> None:
        """Free parts outside their range are moved to its nearest end (a day 31 of
        April to the 30th); a free month too short for a given day moves on to the
        next month long enough."""
        values = self._values(frame)
        held = dict(zip(self.parts, self.inputs, strict=True))
        if "day" in held and "month" in held:
            self._month_for_given_day(frame, free, values, held)
        for part in COMPOSED_OF[1:]:
            if part not in held:
                continue
            low, high = _LIMITS[part]
            if part == "day":
                high = _days_in_month(values["year"], values["month"])
            value = values[part]
            with np.errstate(invalid="ignore"):
                moved = free[held[part]].to_numpy() & ((value < low) | (value > high))
            if moved.any():
                values[part] = np.where(moved, np.clip(value, low, high), value)
                frame[held[part]] = values[part]

    @staticmethod
    def _month_for_given_day(frame, free, values, held) -> None:
        month = values["month"].copy()
        movable = free[held["month"]].to_numpy() & ~free[held["day"]].to_numpy()
        for _ in range(2):  # no two months in a row are both shorter than 31 days
            with np.errstate(invalid="ignore"):
                short = movable & (values["day"] > _days_in_month(values["year"], month))
            if not short.any():
                break
            month = np.where(short, month % 12 + 1, month)
        if not np.array_equal(month, values["month"], equal_nan=True):
            values["month"] = month
            frame[held["month"]] = month

    def agree(self, frame, rows, free, rng) -> None:
        """Free parts take the given datetime's parts."""
        times = pd.to_datetime(frame[self.dependent].astype(object), errors="coerce")
        if self.timezone and times.dt.tz is not None:
            times = times.dt.tz_convert(self.timezone)
        for part, name in zip(self.parts, self.inputs, strict=True):
            change = rows & free[name].to_numpy() & times.notna().to_numpy()
            if change.any():
                column = numbers(frame[name])
                column[change] = getattr(times.dt, part).to_numpy(dtype=np.float64)[change]
                frame[name] = column


def _days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Days in each row's month (a missing year counts as a leap year)."""
    start = pd.DataFrame(
        {
            "year": np.nan_to_num(year, nan=2000.0),
            "month": np.clip(np.nan_to_num(month, nan=1.0), 1, 12),
            "day": 1,
        }
    )
    return pd.to_datetime(start).dt.days_in_month.to_numpy()
