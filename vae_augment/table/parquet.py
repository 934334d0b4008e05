"""Tables larger than memory: a Parquet dataset, streamed in row batches.

:meth:`VAEAugmenter.fit` accepts a Parquet file or directory, or a
:class:`pyarrow.dataset.Dataset` of Parquet files, and never holds the whole table:

* One pass over the data (:meth:`ParquetTable.scan`) draws the **codec sample**: a
  uniform sample of at most ``CODEC_SAMPLE_ROWS`` rows, plus, for every column, the rows
  holding its minimum and maximum, each of its categorical levels and a missing value
  when the uniform sample lacks them. So the codec learns every level (up to
  ``MAX_TRACKED_LEVELS`` per column), the exact range and whether a column has missing
  values, and the quantile map is estimated from the uniform sample. The same pass keeps
  the **validation rows** (a uniform sample of at most ``MAX_VALIDATION_ROWS`` rows) and
  counts the rows of each class of the target column.
* Training reads the row groups again every epoch (see
  :class:`vae_augment.training.streaming.StreamedBatches`).

Whether a row is a validation or a sample row is decided by one random number per row,
drawn from a generator seeded with the fit's seed and the row group's position, so every
pass and every process agrees without storing anything per row.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..utils.optional import optional_import

#: Most rows of the uniform sample the column codec is fitted on.
CODEC_SAMPLE_ROWS = 100_000
#: Most validation rows held out (and kept in memory) for early stopping.
MAX_VALIDATION_ROWS = 50_000
#: Most distinct levels per column whose first row is added to the codec sample.
MAX_TRACKED_LEVELS = 10_000
_READ_ROWS = 2**16


def is_parquet_source(X) -> bool:
    """Whether ``X`` names a Parquet file or directory or is a pyarrow dataset.

    A pyarrow ``Table`` or ``RecordBatch`` is a table in memory, not a source to stream.
    """
    in_memory = hasattr(X, "to_pandas")
    return isinstance(X, (str, os.PathLike)) or (
        type(X).__module__.startswith("pyarrow") and not in_memory
    )


def _pyarrow():
    """pyarrow and its compute and dataset modules (an optional dependency)."""
    return tuple(
        optional_import(name, extra="parquet", feature="fitting on Parquet data")
        for name in ("pyarrow", "pyarrow.compute", "pyarrow.dataset")
    )


def open_dataset(X):
    """The pyarrow dataset ``X`` names (a folder's ``key=value`` subfolders are columns)."""
    pa, _, ds = _pyarrow()
    if isinstance(X, (str, os.PathLike)):
        path = Path(X)
        if not path.exists():
            raise FileNotFoundError(
                f"X names {str(path)!r}, which does not exist; pass a Parquet file or "
                "directory, or the table itself."
            )
        try:
            # A directory's "year=2024/" folders are a column, as in pandas.read_parquet.
            partitioning = "hive" if path.is_dir() else None
            dataset = ds.dataset(path, format="parquet", partitioning=partitioning)
        except (pa.ArrowInvalid, OSError) as error:
            raise ValueError(
                f"X names {str(path)!r}, which is not readable as Parquet ({error})."
            ) from None
        if not dataset.files:
            raise ValueError(f"X names {str(path)!r}, which holds no Parquet files.")
        return dataset
    if isinstance(X, ds.FileSystemDataset) and isinstance(X.format, ds.ParquetFileFormat):
        return X
    raise TypeError(
        f"X must be a table, a Parquet path or a pyarrow dataset of Parquet files, got "
        f"{type(X).__name__}."
    )


@dataclass
class Scan:
    """What :meth:`ParquetTable.scan` learned in its pass over the data.

    Parameters
    ----------
    sample, validation : DataFrame
        The codec sample and the validation rows (feature columns only). The sample's
        first ``n_uniform`` rows are the uniform sample, the others the extra rows.
    sample_target, validation_target : Series or None
        Their target values, when a target column was named.
    class_counts : dict or None
        Rows per target value over the whole data (``None`` when the target column had
        more than ``MAX_TRACKED_LEVELS`` distinct values, or no target was named).
    n_uniform : int
        Number of rows of the uniform sample.
    """

    sample: pd.DataFrame
    validation: pd.DataFrame
    sample_target: pd.Series | None
    validation_target: pd.Series | None
    class_counts: dict | None
    n_uniform: int


class _Extremes:
    """Rows that show the codec what the uniform sample misses (see module docs).

    Only rows outside the sample are added: a level, missing value or extreme value
    the sample already holds needs no extra row (and a table smaller than the sample
    gets none).
    """

    def __init__(self, schema, target: str | None) -> None:
        pa = _pyarrow()[0]
        self.levels: dict[str, set] = {}
        self.ranges: dict[str, list] = {}
        for field_ in schema:
            kind = field_.type
            if pa.types.is_dictionary(kind):
                kind = kind.value_type
            # Dates and times of day become Python objects in pandas, which the codec
            # models as categories; timestamps and durations become numbers.
            numeric = (
                pa.types.is_integer(kind)
                or pa.types.is_floating(kind)
                or pa.types.is_decimal(kind)
                or pa.types.is_timestamp(kind)
                or pa.types.is_duration(kind)
            )
            # An integer target may hold class labels: every class must be learned.
            if not numeric or (field_.name == target and pa.types.is_integer(kind)):
                self.levels[field_.name] = set()
            if numeric:
                self.ranges[field_.name] = [None, None, None, None]  # min, row, max, row
        self.with_missing: set[str] = set()
        self.rows: list = []

    def update(self, batch, sampled: np.ndarray) -> None:
        """Track ``batch``, whose rows in the uniform sample are marked in ``sampled``."""
        pa = _pyarrow()[0]
        in_sample = batch.filter(pa.array(sampled))
        take = self._new_level_rows(batch, in_sample)
        take |= self._missing_value_rows(batch, in_sample)
        self._track_extremes(batch, sampled)
        if take:
            self.rows.append(batch.take(sorted(take)))

    def _new_level_rows(self, batch, in_sample) -> set[int]:
        """The first row of each level that neither earlier batches nor the sample hold."""
        pa, pc, _ = _pyarrow()
        take: set[int] = set()
        for name, seen in self.levels.items():
            if len(seen) >= MAX_TRACKED_LEVELS:
                continue
            column, sampled_column = (_decoded(b.column(name)) for b in (batch, in_sample))
            seen.update(pc.unique(sampled_column).drop_null().to_pylist())
            new = [v for v in pc.unique(column).drop_null().to_pylist() if v not in seen]
            new = new[: max(0, MAX_TRACKED_LEVELS - len(seen))]
            if new:
                seen.update(new)
                where = pc.index_in(column, value_set=pa.array(new, type=column.type))
                where = where.to_numpy(zero_copy_only=False)
                where = np.where(np.isnan(where.astype(float)), -1, where)
                _, first = np.unique(where, return_index=True)
                take.update(int(i) for i in first if where[i] >= 0)
        return take

    def _missing_value_rows(self, batch, in_sample) -> set[int]:
        """A row with a missing value per column first seen with one, if not sampled."""
        pc = _pyarrow()[1]
        take: set[int] = set()
        for name in batch.schema.names:
            if name in self.with_missing or not batch.column(name).null_count:
                continue
            self.with_missing.add(name)
            if not in_sample.column(name).null_count:
                take.add(pc.index(pc.is_null(batch.column(name)), True).as_py())
        return take

    def _track_extremes(self, batch, sampled: np.ndarray) -> None:
        """Keep the rows of each numeric column's smallest and largest values so far."""
        pa, pc, _ = _pyarrow()
        for name, state in self.ranges.items():
            column = _decoded(batch.column(name))
            if pa.types.is_duration(column.type):  # min_max has no kernel for durations
                column = column.cast(pa.int64())
            bounds = pc.min_max(column)
            for slot, key, better in ((0, "min", pc.less), (2, "max", pc.greater)):
                value = bounds[key]
                if not value.is_valid:
                    continue
                if state[slot] is None or better(value, state[slot]).as_py():
                    row = pc.index(column, value).as_py()
                    state[slot] = value
                    # take() copies the row: a slice would keep the whole batch alive.
                    state[slot + 1] = None if sampled[row] else batch.take([row])

    def batches(self) -> list:
        """The extra rows, as record batches."""
        rows = [state[i] for state in self.ranges.values() for i in (1, 3)]
        return self.rows + [row for row in rows if row is not None]


def _decoded(column):
    """A dictionary-encoded column as plain values (others as they are)."""
    pa = _pyarrow()[0]
    return column.dictionary_decode() if pa.types.is_dictionary(column.type) else column


def _type_kind(kind) -> str:
    """The family of an arrow type that pandas reads alike (all integers and floats are
    numbers; dictionaries are their values)."""
    pa = _pyarrow()[0]
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "numbers"
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return "text"
    if pa.types.is_timestamp(kind):
        return "timestamps"
    return str(kind)


def _check_files_agree(dataset, fragments) -> None:
    """Every file holds every column, each of one kind, as the dataset's schema says.

    pyarrow would read a column missing from a file as missing values, and a column of
    text in one file and numbers in another with a parse error naming neither.

    Raises
    ------
    ValueError
        Naming the file and the column.
    """
    schemas = [fragment.physical_schema for fragment in fragments]
    # A column no file holds comes from the folders' names (hive partitioning).
    expected = {
        f.name: f.type
        for f in dataset.schema
        if any(f.name in schema.names for schema in schemas)
    }
    for fragment, schema in zip(fragments, schemas, strict=True):
        lacking = [name for name in expected if name not in schema.names]
        if lacking:
            raise ValueError(
                f"{fragment.path} lacks the column(s) {lacking} that the other files of X "
                "have; write every file with the same columns."
            )
        for name, kind in expected.items():
            found = schema.field(name).type
            if _type_kind(found) != _type_kind(kind):
                raise ValueError(
                    f"Column {name!r} holds {_type_kind(kind)} in some files of X but "
                    f"{_type_kind(found)} in {fragment.path}; write it with one type in "
                    "every file."
                )


class ParquetTable:
    """A Parquet dataset read one row group at a time.

    Parameters
    ----------
    X : str, path-like or pyarrow.dataset.Dataset
        A Parquet file, a directory of Parquet files, or a dataset of them.
    target : str or None
        The column holding the target, if any.

    Attributes
    ----------
    columns : list of str
        The feature columns (every column but the target and pandas' index columns).
    n_rows : int
        Number of rows, from the files' metadata.
    unit_rows : list of int
        Rows of each (non-empty) row group, from the files' metadata.
    """

    def __init__(self, X, target: str | None) -> None:
        self.dataset = open_dataset(X)
        names = self.dataset.schema.names
        index = (self.dataset.schema.pandas_metadata or {}).get("index_columns", [])
        if target is not None and not isinstance(target, str):
            raise TypeError(
                "When X is Parquet data, y must be the name of its target column (a "
                f"string), got {type(target).__name__}."
            )
        if target is not None and target not in names:
            raise ValueError(f"y={target!r} is not a column of X; its columns are {names}.")
        self.target = target
        self.columns = [n for n in names if n != target and n not in index]
        if not self.columns:
            raise ValueError("X has no feature columns besides the target.")
        fragments = sorted(self.dataset.get_fragments(), key=lambda f: f.path)
        _check_files_agree(self.dataset, fragments)
        units = [g for f in fragments for g in f.split_by_row_group()]
        rows = [sum(g.num_rows for g in u.row_groups) for u in units]
        self._units = [u for u, n in zip(units, rows, strict=True) if n]
        self.unit_rows = [n for n in rows if n]
        self.n_rows = int(sum(self.unit_rows))

    @property
    def n_row_groups(self) -> int:
        """Number of row groups, the units processes share out."""
        return len(self._units)

    def draws(self, unit: int, seed: int) -> np.ndarray:
        """One uniform number per row of row group ``unit`` (same on every pass)."""
        return np.random.default_rng([seed, unit]).random(self.unit_rows[unit])

    def read(self, unit: int) -> Iterator[tuple[int, object]]:
        """Record batches of row group ``unit`` with their first row's offset."""
        columns = self.columns + ([self.target] if self.target else [])
        offset = 0
        # No read-ahead: several row groups are read at once, and each would decode
        # batches ahead of use, holding memory for rows not yet needed.
        for batch in self._units[unit].to_batches(
            schema=self.dataset.schema,
            columns=columns,
            batch_size=_READ_ROWS,
            batch_readahead=0,
            fragment_readahead=0,
        ):
            yield offset, batch
            offset += batch.num_rows

    def frames(self, table) -> tuple[pd.DataFrame, pd.Series | None]:
        """A pyarrow table read from the data as features and target (or ``None``)."""
        frame = table.to_pandas().reset_index(drop=True)
        target = frame.pop(self.target) if self.target else None
        return frame, target

    def validation_rate(self, validation_fraction: float, minimum: int) -> float:
        """Share of rows held out for validation (0 when too few rows would be)."""
        n_validation = min(int(validation_fraction * self.n_rows), MAX_VALIDATION_ROWS)
        if n_validation < minimum or self.n_rows - n_validation < 2:
            return 0.0
        return n_validation / self.n_rows

    def scan(self, seed: int, validation_rate: float) -> Scan:
        """One pass: the codec sample, the validation rows and the class counts."""
        pa, pc, _ = _pyarrow()
        sample_rate = min(1.0, CODEC_SAMPLE_ROWS / max(self.n_rows, 1))
        sample, validation = [], []
        extremes = _Extremes(self.dataset.schema, self.target)
        counts: Counter | None = Counter() if self.target else None
        for unit in range(len(self._units)):
            draws = self.draws(unit, seed)
            for offset, batch in self.read(unit):
                u = draws[offset : offset + batch.num_rows]
                sampled = u < sample_rate
                sample.append(batch.filter(pa.array(sampled)))
                validation.append(batch.filter(pa.array(u < validation_rate)))
                extremes.update(batch, sampled)
                if counts is not None:
                    values = pc.value_counts(batch.column(self.target)).to_pylist()
                    counts.update({v["values"]: v["counts"] for v in values})
                    if len(counts) > MAX_TRACKED_LEVELS:
                        counts = None
        schema = sample[0].schema
        n_uniform = sum(b.num_rows for b in sample)
        sample_frame, sample_target = self.frames(
            pa.Table.from_batches(sample + extremes.batches(), schema=schema)
        )
        validation_frame, validation_target = self.frames(
            pa.Table.from_batches(validation, schema=schema)
        )
        return Scan(
            sample_frame,
            validation_frame,
            sample_target,
            validation_target,
            None if counts is None else dict(counts),
            n_uniform,
        )
