"""Numeric columns: exact numbers in, a unit scale for the quantile map, the dtype out.

Integer and time columns are handled as exact int64 numbers (values beyond 2**53 and
nanosecond timestamps stay exact); floats as float64, decoded to the fewest decimals
that wrote every training value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .frames import column_label
from .kinds import is_integer_column, is_time_dtype, time_kind, time_zone

#: Fewest observed values from which an integer column's common step (the greatest
#: common divisor of its offsets) is trusted; fewer rows keep a step of 1.
MIN_STEP_ROWS = 30
#: Most decimals a float column is rounded to when decoded.
_MAX_DECIMALS = 6


def fewest_decimals(observed: np.ndarray) -> int | None:
    """Fewest decimals that hold every value exactly, in the values' own precision."""
    if observed.dtype.kind != "f":
        observed = observed.astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        for decimals in range(_MAX_DECIMALS + 1):
            if np.array_equal(np.round(observed, decimals), observed):
                return decimals
    return None


def _time_step(offsets: np.ndarray, unit: str) -> int:
    """The coarsest calendar step (day, hour, ..., unit) dividing all uint64 offsets."""
    for candidate in ("D", "h", "m", "s", "ms", "us"):
        size = np.timedelta64(1, candidate) // np.timedelta64(1, unit)
        if size >= 1 and np.all(offsets % np.uint64(size) == 0):
            return int(size)
    return 1


def _time_values(series: pd.Series) -> np.ndarray:
    """Datetimes/timedeltas as numpy datetime64/timedelta64 (UTC for tz-aware)."""
    tz = time_zone(series.dtype)
    if isinstance(series.dtype, pd.ArrowDtype):  # date32[pyarrow] gives date objects
        native = series.dtype.numpy_dtype
        if tz is not None:
            native = pd.DatetimeTZDtype(np.datetime_data(native)[0], tz)
        series = series.astype(native)
    if tz is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return series.to_numpy()


def _beyond_int64(spec, value) -> ValueError:
    return ValueError(
        f"{column_label(spec.name)} holds integers beyond the int64 range (e.g. "
        f"{value}); convert the column to float to model it approximately."
    )


def exact_numbers(series: pd.Series, spec) -> tuple[np.ndarray, np.ndarray]:
    """A numeric column as numbers without rounding loss, plus its missing mask.

    Integer and time columns come back as int64; float columns as float64.
    """
    if time_kind(series.dtype) != time_kind(spec.dtype) or ptypes.is_complex_dtype(
        series.dtype
    ):
        raise TypeError(
            f"{column_label(spec.name)} held {spec.dtype} values in fit but has dtype "
            f"{series.dtype} now."
        )
    if spec.time_unit is not None:
        values = _time_values(series)
        values = values.astype(f"{values.dtype.kind}8[{spec.time_unit}]")
        return values.view(np.int64), np.isnat(values)
    try:
        numbers = pd.to_numeric(series, errors="raise")
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{column_label(spec.name)} must hold numbers, as it did in fit, but holds "
            f"values of dtype {series.dtype} that are not numbers ({error})."
        ) from None
    missing = numbers.isna().to_numpy()
    if spec.step is not None and ptypes.is_integer_dtype(numbers.dtype):
        largest = numbers.max()  # NA when every cell is missing
        if numbers.dtype.kind == "u" and not pd.isna(largest):
            if largest > np.iinfo(np.int64).max:
                raise _beyond_int64(spec, largest)
        return numbers.to_numpy(dtype=np.int64, na_value=0), missing
    values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        raise ValueError(
            f"{column_label(spec.name)} contains infinity (inf or -inf) in "
            f"{int(infinite.sum())} row(s); replace them with finite values or NaN."
        )
    if spec.step is not None:
        values = np.where(missing, 0.0, values)
        beyond = (values < -(2.0**63)) | (values >= 2.0**63)
        if beyond.any():
            raise _beyond_int64(spec, values[beyond][0])
        return np.round(values).astype(np.int64), missing
    return values, missing


def learn_numeric(series: pd.Series, spec) -> None:
    """Fill in ``spec``'s range, step, time unit and decimals from a training column."""
    if is_time_dtype(series.dtype):
        spec.time_unit = np.datetime_data(_time_values(series).dtype)[0]
        spec.step = 1
    elif is_integer_column(series):
        spec.step = 1
    values, missing = exact_numbers(series, spec)
    observed = values[~missing]
    spec.lower, spec.upper = observed.min().item(), observed.max().item()
    span = spec.upper - spec.lower  # Python numbers: no int64 wrap-around
    if not np.isfinite(span):
        raise ValueError(
            f"{column_label(spec.name)} spans {spec.lower:g} to {spec.upper:g}, a range "
            "wider than the largest float64; rescale it (divide it by 1e10, say)."
        )
    if spec.step is None:
        spec.origin, spec.scale = _float_unit_map(observed, float(span))
        spec.decimals = fewest_decimals(series[~missing].to_numpy())
        return
    # Whole numbers are offsets from the minimum, exact in int64 (also for times).
    spec.origin, spec.scale = spec.lower, float(span) or 1.0
    offsets = (observed - np.int64(spec.origin)).view(np.uint64)
    if spec.time_unit is not None:
        spec.step = _time_step(offsets, spec.time_unit)
    elif len(observed) >= MIN_STEP_ROWS:
        # Amounts on a grid (loans of multiples of 25, terms of 36 or 60 months) are
        # generated on it, as float columns keep their decimals.
        step = int(np.gcd.reduce(offsets))
        spec.step = step if 1 <= step <= 2**53 else 1


def _float_unit_map(observed: np.ndarray, span: float) -> tuple[float, float]:
    """Centre and scale of a float column: its median and interquartile range.

    Not its minimum and range: two cells at +-1e300 would make every ordinary value
    ``(x - min) / range = 0.5`` in float64, the same number.
    """
    lower_quartile, centre, upper_quartile = np.percentile(observed, [25, 50, 75])
    spread = float(upper_quartile - lower_quartile)
    # At least the range / 1e300, so that (x - centre) / scale stays finite.
    return float(centre), max(spread, span / 1e300) or (span or 1.0)


def unit_scale(series: pd.Series, spec) -> np.ndarray:
    """``(value - origin) / scale`` as float64 (exact integer subtraction first), NaN if
    missing: [0, 1] for whole numbers, centred on the median for floats."""
    values, missing = exact_numbers(series, spec)
    if values.dtype.kind == "i":
        # The int64 difference wraps around beyond 2**63; columns spanning that much
        # only have float precision anyway.
        approx = values.astype(np.float64) - float(spec.origin)
        exact = (values - np.int64(spec.origin)).astype(np.float64)
        offsets = np.where(np.abs(approx) < 2.0**62, exact, approx)
    else:
        offsets = values - spec.origin
    offsets[missing] = np.nan
    return offsets / spec.scale


def _round_in_range(values: np.ndarray, spec) -> None:
    """Round ``values`` (inside the column's range) to its decimals, in place."""
    # Rounding scales by 10**decimals: near the float64 limit that overflows, and such
    # values keep their digits.
    reach = max(abs(float(spec.lower)), abs(float(spec.upper))) * 10.0**spec.decimals
    if reach < 1e300:
        np.round(values, spec.decimals, out=values)
        return
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.round(values, spec.decimals)
    finite = np.isfinite(rounded)
    values[finite] = rounded[finite]


def decode_numeric(unit_values: np.ndarray, spec, *, overwrite: bool = False):
    """From the unit scale (NaN = missing) back to the column's dtype and range.

    ``overwrite=True`` lets the float64 ``unit_values`` be worked on (and returned as
    the column) instead of a new array.
    """
    # One buffer worked in place: a fresh array of a million rows costs more in page
    # faults than the arithmetic done on it.
    missing = np.isnan(unit_values)
    holes = missing.any()
    # Near the float64 limit the product may overflow: the clip below brings it back.
    with np.errstate(over="ignore", invalid="ignore"):
        # A missing cell stays NaN through the float arithmetic; not through integers.
        offsets = np.where(missing, 0.0, unit_values) if holes else unit_values
        out = unit_values if overwrite and unit_values.dtype == np.float64 else None
        offsets = np.multiply(offsets, spec.scale, out=out, dtype=np.float64)
    if spec.step is None:
        values = offsets
        with np.errstate(over="ignore", invalid="ignore"):
            values += spec.origin
            np.clip(values, spec.lower, spec.upper, out=values)
        if spec.decimals is not None:
            _round_in_range(values, spec)
        if holes:
            values[missing] = np.nan
        if isinstance(spec.dtype, np.dtype):
            return values.astype(spec.dtype, copy=False)
        return pd.array(values, dtype=spec.dtype)
    # Whole steps above the origin, added in uint64 and wrapped back to int64: exact
    # even for columns spanning more than 2**63.
    steps = offsets
    steps /= spec.step
    np.round(steps, out=steps)
    steps *= spec.step
    np.clip(steps, 0.0, 2.0**64 - 4096, out=steps)
    delta = np.minimum(steps.astype(np.uint64), np.uint64(spec.upper - spec.lower))
    ints = delta.view(np.int64)
    ints += np.int64(spec.origin)
    if spec.time_unit is not None:
        kind = "M" if ptypes.is_datetime64_any_dtype(spec.dtype) else "m"
        times = ints.view(f"{kind}8[{spec.time_unit}]").copy()
        times[missing] = np.datetime64("NaT") if kind == "M" else np.timedelta64("NaT")
        series = pd.Series(times)
        tz = time_zone(spec.dtype)
        if tz is not None:
            series = series.dt.tz_localize("UTC").dt.tz_convert(tz)
        return series.astype(spec.dtype)
    if ptypes.is_object_dtype(spec.dtype):
        values = ints.astype(object)
        values[missing] = np.nan
        return values
    if isinstance(spec.dtype, np.dtype):  # numpy integers never held missing values
        return ints.astype(spec.dtype, copy=False)
    values = pd.array(ints, dtype=spec.dtype)
    values[missing] = pd.NA
    return values
