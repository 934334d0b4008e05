"""Column codec: from a mixed-type table to the model's blocks and back, dtypes included.

Every column is numeric or categorical (:mod:`.kinds`):

* **numeric** columns (:mod:`.numeric`) are mapped to a standard normal through their
  quantiles (:class:`~.quantiles.NormalQuantileMap`), which turns skewed, heavy-tailed
  and multimodal columns (incomes, prices, counts) into well-behaved Gaussian targets
  and, on the way back, keeps every value inside the training range and reproduces point
  masses (zeros, round numbers);
* **categorical** columns (:mod:`.categorical`) become an integer code per row over the
  levels seen in training.

A continuous target is one more numeric column, kept apart from the features: it is
the last column of the numeric block, encoded from ``y`` in fit and left missing when
only ``X`` is given. Missing values are never imputed here: the numeric block keeps
``NaN`` and the codes keep ``-1``, so that the model can learn missingness itself.
Everything is vectorised over rows; Python only loops over columns.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..utils.checks import require
from .categorical import decode_levels, encode_levels, learn_levels
from .cells import put_cells
from .frames import column_label
from .kinds import CATEGORICAL, CONSTANT, KEY, NUMERIC, column_kind
from .numeric import decode_numeric, learn_numeric, unit_scale
from .quantiles import NormalQuantileMap
from .structure.structure import TableStructure


@dataclass
class ColumnSpec:
    """What the codec learned about one column.

    Parameters
    ----------
    name : hashable
        The column's name.
    kind : {"numeric", "categorical", "key", "constant"}
        How the column is modelled: keys and constants are not (:mod:`.structure`);
        a constant's value is its one level.
    dtype : dtype
        The column's dtype in the training table; decoded columns get it back.
    has_missing : bool
        Whether the training column had missing values (only then are missing values
        generated for it).
    step : int or None, default=None
        Integer and time columns only: they are handled as exact int64 numbers and
        decoded values are rounded to multiples of ``step`` above the minimum (for
        integer columns the greatest common divisor of the training values' distances
        to the minimum, from 30 observed values on, else 1; for
        datetimes the coarsest of day, hour, minute, second, ... that divides every
        training value's distance to the minimum, in units of ``time_unit``).
    origin, scale : number, default=0, 1.0
        Numeric columns only: the quantile map sees ``(value - origin) / scale``. Whole
        numbers and times: the training minimum and range (exact int64 offsets); floats:
        the median and interquartile range (precise even beside extreme values).
    lower, upper : number, default=0, 0
        Numeric columns only: the training minimum and maximum; decoded values stay
        inside them.
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
    lower: int | float = 0
    upper: int | float = 0
    scale: float = 1.0
    time_unit: str | None = None
    decimals: int | None = None
    levels: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def learn(
        cls, series: pd.Series, name: Hashable, kind: str | None = None
    ) -> ColumnSpec:
        """What a training column shows: its kind, dtype, range or levels.

        ``kind`` overrides the kind the dtype gives (:func:`.kinds.column_kind`).
        """
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
        kind = kind or column_kind(series)
        spec = cls(name, kind, series.dtype, has_missing=bool(missing.any()))
        if kind == KEY:
            return spec
        if kind in (CATEGORICAL, CONSTANT):
            spec.levels = learn_levels(series, name)
        else:
            learn_numeric(series, spec)
        return spec

    def validate(self) -> None:
        """Check the invariants decoding relies on (a model file may be crafted).

        Raises
        ------
        ValueError
            If the spec's fields do not fit its kind.
        """
        where = column_label(self.name)
        require(
            self.kind in (NUMERIC, CATEGORICAL, KEY, CONSTANT),
            f"{where} has kind {self.kind!r}",
        )
        if self.kind == KEY:
            return
        if self.kind in (CATEGORICAL, CONSTANT):
            levels = self.levels
            require(
                isinstance(levels, np.ndarray) and levels.ndim == 1 and len(levels) > 0,
                f"{where} is categorical without levels",
            )
            return
        require(
            self.lower <= self.upper and np.isfinite(self.scale) and self.scale > 0,
            f"{where} has an empty range or a scale that is not positive",
        )
        require(
            self.step is None or (type(self.step) is int and self.step >= 1),
            f"{where} has step {self.step!r}",
        )
        require(
            self.decimals is None or (type(self.decimals) is int and self.decimals >= 0),
            f"{where} has decimals {self.decimals!r}",
        )


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


@dataclass(eq=False)
class TableCodec:
    """The columns of a training table: encodes tables and decodes model output.

    Parameters
    ----------
    columns : list of ColumnSpec
        One entry per feature column, in the table's order.
    target : ColumnSpec or None
        A continuous target modelled with the features (numeric, last in the numeric
        block); ``None`` without one.
    quantiles : NormalQuantileMap or None
        The numeric block's map to the normal scale (``None`` without numeric columns).
    structure : TableStructure or None, default=None
        The table's keys, constants and rules; the model sees the columns it leaves
        free (``None``: every column, as in files written before it).
    model_columns : list of ColumnSpec or None, default=None
        The columns the model sees, in order: the free ``columns`` themselves and the
        gap columns of enforced inequalities (``None``: ``columns``).
    """

    columns: list[ColumnSpec]
    target: ColumnSpec | None
    quantiles: NormalQuantileMap | None
    structure: TableStructure | None = None
    model_columns: list[ColumnSpec] | None = None

    @classmethod
    def fit(
        cls,
        frame: pd.DataFrame,
        target: pd.Series | None = None,
        structure_of: Callable[[pd.DataFrame], TableStructure] | None = None,
    ) -> TableCodec:
        """Learn the columns of ``frame`` (and of a continuous ``target``, if given).

        ``structure_of(frame)`` gives the table's structure (keys, constants, rules),
        asked once every column has been checked; ``None``: every column is modelled
        as it is.
        """
        columns = [ColumnSpec.learn(frame[name], name) for name in frame.columns]
        structure = None if structure_of is None else structure_of(frame)
        if structure is not None:
            kinds = dict(zip(structure.names, structure.kinds, strict=True))
            columns = [
                ColumnSpec.learn(frame[c.name], c.name, _spec_kind(kinds[c.name]))
                if _spec_kind(kinds[c.name]) not in (None, c.kind)
                else c
                for c in columns
            ]
        model_columns = None
        if structure is not None:
            modelled = structure.modelled(frame)
            by_name = {c.name: c for c in columns}
            # A gap, or the place of a placed number, has values of its own.
            own = {upper for upper, _ in structure.gaps} | set(structure.placed_columns)
            model_columns = [
                ColumnSpec.learn(modelled[name], name) if name in own else by_name[name]
                for name in modelled.columns
            ]
        # An unnamed target (an array y) is "y" in messages.
        target_spec = None
        if target is not None:
            target_spec = ColumnSpec.learn(
                target, "y" if target.name is None else target.name
            )
        codec = cls(columns, target_spec, None, structure, model_columns)
        if codec.numeric:
            block = codec._numeric_block(codec._modelled(frame), target)
            codec.quantiles = NormalQuantileMap.fit(block)
        return codec

    def validate(self) -> None:
        """Check that the columns and the quantile map fit together.

        Raises
        ------
        ValueError
            If a column is inconsistent, or the quantile map has another number of
            columns than the numeric block.
        """
        for spec in [*self.columns, *([self.target] if self.target else [])]:
            spec.validate()
        require(
            self.target is None or self.target.kind == NUMERIC,
            "the codec's target is not numeric",
        )
        if self.quantiles is not None:
            self.quantiles.validate()
        n_numeric = len(self.numeric)
        width = 0 if self.quantiles is None else self.quantiles.quantiles.shape[1]
        require(
            width == n_numeric,
            f"the quantile map has {width} columns for {n_numeric} numeric columns",
        )

    @property
    def modelled_columns(self) -> list[ColumnSpec]:
        """The columns the model sees (see ``model_columns``)."""
        return self.columns if self.model_columns is None else self.model_columns

    @property
    def numeric(self) -> list[ColumnSpec]:
        """The numeric columns in the order of the numeric block (the target last)."""
        features = [c for c in self.modelled_columns if c.kind == NUMERIC]
        return features + ([] if self.target is None else [self.target])

    @property
    def categorical(self) -> list[ColumnSpec]:
        """The categorical columns, in the order of the code block."""
        return [c for c in self.modelled_columns if c.kind == CATEGORICAL]

    @property
    def names(self) -> list[Hashable]:
        """The feature columns' names, in the table's order."""
        return [c.name for c in self.columns]

    # ------------------------------------------------------------------ encode
    def _modelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame if self.structure is None else self.structure.modelled(frame)

    def _numeric_block(self, frame: pd.DataFrame, target: pd.Series | None) -> np.ndarray:
        block = np.full((len(frame), len(self.numeric)), np.nan)
        for j, spec in enumerate(self.numeric):
            if spec is self.target:
                if target is not None:
                    block[:, j] = unit_scale(target, spec)
            elif spec.name in frame.columns:  # absent columns are missing
                block[:, j] = unit_scale(frame[spec.name], spec)
        return block

    def encode(self, frame: pd.DataFrame, target: pd.Series | None = None) -> EncodedTable:
        """Encode a table with the training table's feature columns.

        Parameters
        ----------
        frame : DataFrame
            The feature columns, named as in fit; a column it lacks is missing in every
            row (a condition that fixes only some columns).
        target : Series or None, default=None
            Values of the continuous target; its cells are missing when ``None``.

        Returns
        -------
        EncodedTable
            The numeric block on the normal scale and the level codes. A categorical
            value never seen in fit is treated as missing, with a warning naming the
            column.
        """
        frame = self._modelled(frame)
        block = self._numeric_block(frame, target)
        # Filled in place: no second float64 block of the whole table.
        numeric = np.empty(block.shape, dtype=np.float32)
        if self.quantiles is not None:  # None: no numeric columns
            self.quantiles.transform(block, out=numeric)
        del block
        codes = np.full((len(frame), len(self.categorical)), -1, dtype=np.int64)
        for j, spec in enumerate(self.categorical):
            if spec.name in frame.columns:  # absent columns are missing
                codes[:, j] = encode_levels(frame[spec.name], spec)
        return EncodedTable(numeric, codes)

    # ------------------------------------------------------------------ decode
    def decode(
        self,
        numeric: np.ndarray,
        codes: np.ndarray,
        *,
        given: pd.DataFrame | None = None,
        first_row: int = 0,
        rng=None,
        scale: np.ndarray | None = None,
    ) -> tuple[pd.DataFrame, np.ndarray | None]:
        """Turn model output back into the training columns and dtypes.

        Parameters
        ----------
        numeric : ndarray of shape (n_samples, n_numeric)
            Numeric block on the standard-normal scale; ``NaN`` marks a missing cell.
        codes : ndarray of shape (n_samples, n_categorical)
            Level indices; ``-1`` marks a missing cell.
        given : DataFrame or None, default=None
            Cells to keep exactly (missing = free), by column name; the table's rules
            still hold (:meth:`~.structure.structure.TableStructure.restore`).
        first_row : int, default=0
            Position of the first row among all rows of one call (numbered keys).
        rng : RandomState or None, default=None
            Source of fresh keys and of agreeing draws (``None``: fixed).
        scale : ndarray of shape (n_samples, n_numeric) or None, default=None
            The decoder's scale of each numeric cell. Given, a numeric cell becomes the
            mean, in the column's own units, of a normal of mean ``numeric`` and this
            scale (:meth:`~.quantiles.NormalQuantileMap.inverse_mean`); ``None``: the
            value at ``numeric`` (a drawn row).

        Returns
        -------
        frame : DataFrame
            The feature columns in training order with training dtypes; numeric values
            lie inside the training range and integer columns hold whole numbers.
        target : ndarray or None
            The continuous target's values (``None`` without one).
        """
        decoded: dict[int, object] = {}
        if self.quantiles is not None:
            missing = np.isnan(numeric)
            holes = missing.any()
            finite = np.where(missing, 0.0, numeric) if holes else numeric
            original = (
                self.quantiles.inverse_transform(finite)
                if scale is None
                else self.quantiles.inverse_mean(finite, np.where(missing, 0.0, scale))
            )
            if holes:
                original[missing] = np.nan
            for j, spec in enumerate(self.numeric):
                # original is this call's own: its columns become the decoded ones.
                decoded[id(spec)] = decode_numeric(original[:, j], spec, overwrite=True)
        for j, spec in enumerate(self.categorical):
            decoded[id(spec)] = decode_levels(codes[:, j], spec)
        index = pd.RangeIndex(len(numeric))
        columns = self.modelled_columns
        frame = pd.DataFrame(
            {
                c.name: pd.Series(decoded[id(c)], index=index, dtype=c.dtype, copy=False)
                for c in columns
            },
            index=index,
            columns=pd.Index([c.name for c in columns]),
            # The decoded columns are this call's own: consolidating them into one
            # block per dtype would copy every one.
            copy=False,
        )
        if self.structure is not None:
            specs = {c.name: c for c in self.columns}
            if given is not None:
                given = given.set_axis(index)
            frame = self.structure.restore(
                frame, specs, given=given, first_row=first_row, rng=rng
            )
        elif given is not None:
            frame = put_cells(frame, given.set_axis(index))
        target = None
        if self.target is not None:
            target = pd.Series(decoded[id(self.target)], dtype=self.target.dtype).to_numpy()
        return frame, target

    def empty_frame(self, index: pd.Index | None = None) -> pd.DataFrame:
        """A table with no rows and the training columns and dtypes (e.g. Dask's meta)."""
        index = pd.RangeIndex(0) if index is None else index
        return pd.DataFrame(
            {c.name: pd.Series(dtype=c.dtype, index=index) for c in self.columns},
            index=index,
            columns=pd.Index(self.names),
        )


def _spec_kind(kind: str | None) -> str | None:
    """The codec kind of a structure kind (``None``: the dtype decides)."""
    return {"key": KEY, "constant": CONSTANT, "categorical": CATEGORICAL}.get(kind)
