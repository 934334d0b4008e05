"""Column codec: from a mixed-type table to the model's blocks and back, dtypes included.

Every column is one of two kinds:

* **numeric** -- floats, integers (numpy or nullable), datetimes, timedeltas and object
  columns holding only numbers. Each is mapped to a standard normal through its
  quantiles (:class:`~vae_augment._quantiles.NormalQuantileMap`), which turns skewed,
  heavy-tailed and multimodal columns (incomes, prices, counts) into well-behaved
  Gaussian targets and, on the way back, keeps every value inside the training range and
  reproduces point masses (zeros, round numbers).
* **categorical** -- ``category``, ``bool``/``boolean``, string and other object columns.
  Each becomes an integer code per row over the levels seen in training.

Missing values are never imputed here: the numeric block keeps ``NaN`` and the codes
keep ``-1``, so that the model can learn missingness itself. Everything is vectorised
over rows; Python only loops over columns.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ._quantiles import NormalQuantileMap
from ._table import column_label

NUMERIC = "numeric"
CATEGORICAL = "categorical"

#: Most decimals a float column is rounded to when decoded.
_MAX_DECIMALS = 6

_NUMERIC_OBJECT_KINDS = {"floating", "integer", "mixed-integer-float", "decimal"}


@dataclass
class ColumnSpec:
    """What the codec learned about one column in :meth:`TableCodec.fit`.

    Parameters
    ----------
    name : hashable
        The column's name.
    kind : {"numeric", "categorical"}
        How the column is modelled.
    dtype : dtype
        The column's dtype in the training table; decoded columns get it back.
    has_missing : bool
        Whether the training column had missing values (only then are missing values
        generated for it).
    step : int or None, default=None
        Integer and time columns only: they are handled as exact int64 numbers and
        decoded values are rounded to multiples of ``step`` (1 for integer columns; for
        datetimes the coarsest of day, hour, minute, second, ... that divides every
        training value's distance to the minimum, in units of ``time_unit``).
    origin, upper, scale : number, default=0, 0, 1.0
        Numeric columns only: the training minimum, maximum and range; the quantile map
        sees ``(value - origin) / scale``, and decoded floats are clipped to
        ``[origin, upper]`` against rounding.
    time_unit : str or None, default=None
        Datetime and timedelta columns only: the numpy unit of their integer encoding.
    decimals : int or None, default=None
        Float columns only: the fewest decimals that write every training value
        exactly (at most 6); decoded values are rounded to them, so a column recorded
        to 0.1 mm is generated to 0.1 mm. ``None`` leaves values as computed.
    levels : ndarray or None, default=None
        Categorical columns only: the distinct values seen in training, in code order.
    """

    name: Hashable
    kind: str
    dtype: object
    has_missing: bool
    step: int | None = None
    origin: int | float = 0
    upper: int | float = 0
    scale: float = 1.0
    time_unit: str | None = None
    decimals: int | None = None
    levels: np.ndarray | None = field(default=None, repr=False)


@dataclass
class EncodedTable:
    """A table in the model's terms.

    Parameters
    ----------
    numeric : ndarray of shape (n_samples, n_numeric), dtype float32
        Numeric columns on the standard-normal scale; ``NaN`` where missing.
    codes : ndarray of shape (n_samples, n_categorical), dtype int64
        Level index of each categorical cell; ``-1`` where missing.
    """

    numeric: np.ndarray
    codes: np.ndarray


def _is_time(dtype) -> bool:
    return ptypes.is_datetime64_any_dtype(dtype) or ptypes.is_timedelta64_dtype(dtype)


def _time_kind(dtype) -> tuple[bool, bool] | None:
    """(is datetime, is tz-aware) of a time dtype; ``None`` for any other dtype."""
    if not _is_time(dtype):
        return None
    return ptypes.is_datetime64_any_dtype(dtype), getattr(dtype, "tz", None) is not None


def _column_kind(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype) or ptypes.is_bool_dtype(dtype):
        return CATEGORICAL
    if _is_time(dtype) or ptypes.is_numeric_dtype(dtype):
        return NUMERIC
    if ptypes.is_object_dtype(dtype):
        inferred = ptypes.infer_dtype(series, skipna=True)
        if inferred in _NUMERIC_OBJECT_KINDS:
            return NUMERIC
    return CATEGORICAL


def _is_integer_column(series: pd.Series) -> bool:
    if ptypes.is_integer_dtype(series.dtype):
        return True
    return ptypes.is_object_dtype(series.dtype) and (
        ptypes.infer_dtype(series, skipna=True) == "integer"
    )


def _decimals(observed: np.ndarray) -> int | None:
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
    if getattr(series.dtype, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return series.to_numpy()


def _exact_numbers(series: pd.Series, spec: ColumnSpec) -> tuple[np.ndarray, np.ndarray]:
    """A numeric column as numbers without rounding loss, plus its missing mask.

    Integer and time columns come back as int64 (so that values beyond 2**53 and
    nanosecond timestamps stay exact); float columns as float64.
    """
    if _time_kind(series.dtype) != _time_kind(spec.dtype) or ptypes.is_complex_dtype(
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


def _beyond_int64(spec: ColumnSpec, value) -> ValueError:
    return ValueError(
        f"{column_label(spec.name)} holds integers beyond the int64 range (e.g. "
        f"{value}); convert the column to float to model it approximately."
    )


def _offsets(values: np.ndarray, missing: np.ndarray, origin) -> np.ndarray:
    """``values - origin`` as float64 (exact integer subtraction first), NaN if missing."""
    if values.dtype.kind == "i":
        # The int64 difference wraps around beyond 2**63; columns spanning that much
        # only have float precision anyway.
        approx = values.astype(np.float64) - float(origin)
        exact = (values - np.int64(origin)).astype(np.float64)
        offsets = np.where(np.abs(approx) < 2.0**62, exact, approx)
    else:
        offsets = values - origin
    offsets[missing] = np.nan
    return offsets


def _levels(series: pd.Series, name: Hashable) -> np.ndarray:
    """Distinct non-missing values of a categorical column, in a stable order."""
    observed = series[series.notna()]
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = set(observed.cat.codes.unique())
        return np.asarray(
            [c for i, c in enumerate(series.dtype.categories) if i in present], dtype=object
        )
    try:
        unique = pd.unique(observed.to_numpy(dtype=object))
    except TypeError as error:
        # "argument must be ... string ... number" is what sklearn's check_dtype_object
        # looks for in this error.
        raise TypeError(
            f"{column_label(name)} holds unhashable values ({error}); each cell's "
            "argument must be a string or a number (or another hashable scalar)."
        ) from None
    try:
        return np.asarray(sorted(unique), dtype=object)
    except TypeError:  # mixed types that do not compare: keep order of appearance
        return np.asarray(unique, dtype=object)


class TableCodec:
    """Learns the columns of a training table; encodes tables and decodes model output.

    Attributes
    ----------
    columns_ : list of ColumnSpec
        One entry per column, in the table's order.
    numeric_ : list of ColumnSpec
        The numeric columns, in the order of the numeric block.
    categorical_ : list of ColumnSpec
        The categorical columns, in the order of the code block.
    quantiles_ : NormalQuantileMap or None
        The numeric block's map to the normal scale (``None`` without numeric columns).
    """

    def fit(self, frame: pd.DataFrame) -> TableCodec:
        """Learn the column kinds, levels and numeric transformation of ``frame``."""
        self.columns_ = []
        for name in frame.columns:
            self.columns_.append(self._fit_column(frame[name], name))
        self.numeric_ = [c for c in self.columns_ if c.kind == NUMERIC]
        self.categorical_ = [c for c in self.columns_ if c.kind == CATEGORICAL]
        numeric = self._numeric_block(frame)
        self.quantiles_ = NormalQuantileMap().fit(numeric) if self.numeric_ else None
        return self

    def _fit_column(self, series: pd.Series, name: Hashable) -> ColumnSpec:
        missing = series.isna()
        if missing.all():
            raise ValueError(
                f"{column_label(name)} has no observed values (all missing); drop it "
                "before fitting."
            )
        if ptypes.is_complex_dtype(series.dtype) or (
            ptypes.is_object_dtype(series.dtype)
            and ptypes.infer_dtype(series, skipna=True) == "complex"
        ):
            raise ValueError(
                f"Complex data not supported: {column_label(name)} holds complex numbers."
            )
        kind = _column_kind(series)
        spec = ColumnSpec(name, kind, series.dtype, has_missing=bool(missing.any()))
        if kind == CATEGORICAL:
            spec.levels = _levels(series, name)
            return spec
        if _is_time(series.dtype):
            spec.time_unit = np.datetime_data(_time_values(series).dtype)[0]
            spec.step = 1
        elif _is_integer_column(series):
            spec.step = 1
        values, missing = _exact_numbers(series, spec)
        observed = values[~missing]
        spec.origin, spec.upper = observed.min().item(), observed.max().item()
        span = spec.upper - spec.origin  # Python numbers: no int64 wrap-around
        if not np.isfinite(span):
            raise ValueError(
                f"{column_label(name)} spans {spec.origin:g} to {spec.upper:g}, a range "
                "wider than the largest float64; rescale it (divide it by 1e10, say)."
            )
        spec.scale = float(span) or 1.0
        if spec.time_unit is not None:
            offsets = (observed - np.int64(spec.origin)).view(np.uint64)
            spec.step = _time_step(offsets, spec.time_unit)
        elif spec.step is None:
            spec.decimals = _decimals(series[~missing].to_numpy())
        return spec

    # ------------------------------------------------------------------ encode
    def _numeric_block(self, frame: pd.DataFrame) -> np.ndarray:
        block = np.empty((len(frame), len(self.numeric_)), dtype=np.float64)
        for j, spec in enumerate(self.numeric_):
            values, missing = _exact_numbers(frame[spec.name], spec)
            block[:, j] = _offsets(values, missing, spec.origin) / spec.scale
        return block

    def encode(self, frame: pd.DataFrame) -> EncodedTable:
        """Encode a table with the training table's columns.

        A categorical value never seen in fit is treated as missing (so that
        :meth:`VAEAugmenter.transform` imputes it), with a warning naming the column.
        """
        numeric = self._numeric_block(frame)
        if self.quantiles_ is not None:
            numeric = self.quantiles_.transform(numeric)
        codes = np.empty((len(frame), len(self.categorical_)), dtype=np.int64)
        for j, spec in enumerate(self.categorical_):
            series = frame[spec.name]
            try:
                codes[:, j] = pd.Index(spec.levels).get_indexer(series.astype(object))
            except TypeError as error:
                raise TypeError(
                    f"{column_label(spec.name)} holds unhashable values ({error})."
                ) from None
            unseen = (codes[:, j] == -1) & series.notna().to_numpy()
            if unseen.any():
                examples = pd.unique(series[unseen].astype(object))[:5]
                warnings.warn(
                    f"{column_label(spec.name)} has {int(unseen.sum())} value(s) never "
                    f"seen in fit (e.g. {list(examples)}); they are treated as missing.",
                    UserWarning,
                    stacklevel=4,
                )
        return EncodedTable(numeric.astype(np.float32), codes)

    # ------------------------------------------------------------------ decode
    def decode(self, numeric: np.ndarray, codes: np.ndarray) -> pd.DataFrame:
        """Turn model output back into a table with the training columns and dtypes.

        Parameters
        ----------
        numeric : ndarray of shape (n_samples, n_numeric)
            Numeric block on the standard-normal scale; ``NaN`` marks a missing cell.
        codes : ndarray of shape (n_samples, n_categorical)
            Level indices; ``-1`` marks a missing cell.

        Returns
        -------
        DataFrame
            Columns in training order with training dtypes; numeric values lie inside
            the training range and integer columns hold whole numbers.
        """
        columns: dict[Hashable, object] = {}
        if self.quantiles_ is not None:
            missing = np.isnan(numeric)
            original = self.quantiles_.inverse_transform(np.where(missing, 0.0, numeric))
            original[missing] = np.nan
            for j, spec in enumerate(self.numeric_):
                columns[spec.name] = _decode_numeric(original[:, j], spec)
        for j, spec in enumerate(self.categorical_):
            columns[spec.name] = _decode_categorical(codes[:, j], spec)
        index = pd.RangeIndex(len(numeric))
        return pd.DataFrame(
            {
                c.name: pd.Series(columns[c.name], index=index, dtype=c.dtype)
                for c in self.columns_
            },
            index=index,
            columns=pd.Index([c.name for c in self.columns_]),
        )


def _decode_numeric(unit_values: np.ndarray, spec: ColumnSpec):
    """From the [0, 1] training scale (NaN = missing) back to the column's dtype."""
    missing = np.isnan(unit_values)
    offsets = np.where(missing, 0.0, unit_values) * spec.scale
    if spec.step is None:
        values = np.clip(spec.origin + offsets, spec.origin, spec.upper)
        if spec.decimals is not None:
            with np.errstate(over="ignore", invalid="ignore"):
                rounded = np.round(values, spec.decimals)
            # Rounding stays inside the (rounded) training range; only values near
            # the float64 limit could overflow while scaling.
            values = np.where(np.isfinite(rounded), rounded, values)
        values[missing] = np.nan
        if isinstance(spec.dtype, np.dtype):
            return values.astype(spec.dtype)
        return pd.array(values, dtype=spec.dtype)
    # Whole steps above the origin, added in uint64 and wrapped back to int64: exact
    # even for columns spanning more than 2**63.
    steps = np.clip(np.round(offsets / spec.step) * spec.step, 0.0, 2.0**64 - 4096)
    delta = np.minimum(steps.astype(np.uint64), np.uint64(spec.upper - spec.origin))
    ints = np.int64(spec.origin) + delta.view(np.int64)
    if spec.time_unit is not None:
        kind = "M" if ptypes.is_datetime64_any_dtype(spec.dtype) else "m"
        times = ints.view(f"{kind}8[{spec.time_unit}]").copy()
        times[missing] = np.datetime64("NaT") if kind == "M" else np.timedelta64("NaT")
        series = pd.Series(times)
        tz = getattr(spec.dtype, "tz", None)
        if tz is not None:
            series = series.dt.tz_localize("UTC").dt.tz_convert(tz)
        return series.astype(spec.dtype)
    if ptypes.is_object_dtype(spec.dtype):
        values = ints.astype(object)
        values[missing] = np.nan
        return values
    if isinstance(spec.dtype, np.dtype):  # numpy integers never held missing values
        return ints.astype(spec.dtype)
    values = pd.array(ints, dtype=spec.dtype)
    values[missing] = pd.NA
    return values


def _decode_categorical(codes: np.ndarray, spec: ColumnSpec):
    missing = codes < 0
    if isinstance(spec.dtype, pd.CategoricalDtype):
        positions = spec.dtype.categories.get_indexer(spec.levels)
        return pd.Categorical.from_codes(
            np.where(missing, -1, positions[np.maximum(codes, 0)]), dtype=spec.dtype
        )
    values = spec.levels[np.maximum(codes, 0)]
    if missing.any():
        values = values.copy()
        values[missing] = np.nan if ptypes.is_object_dtype(spec.dtype) else None
    if isinstance(spec.dtype, np.dtype):
        return values.astype(spec.dtype)
    return pd.array(values, dtype=spec.dtype)
