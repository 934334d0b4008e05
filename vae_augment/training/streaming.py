"""Training mini-batches streamed from Parquet data larger than memory.

Every epoch, the row groups are put in a new order (the same on every process) and dealt
out to the processes by size; each process reads its row groups
``INTERLEAVED_ROW_GROUPS`` at a time, taking turns between them, and shuffles rows
within a buffer of ``SHUFFLE_ROWS`` rows, so a batch mixes several row groups.
Validation rows (chosen by :meth:`ParquetTable.draws`) are left out.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch

from ..model.tensors import TensorTable
from ..table.parquet import ParquetTable
from ..utils.optional import optional_import

#: Rows shuffled together while streaming (row groups are shuffled as wholes).
SHUFFLE_ROWS = 2**18
#: Row groups a process reads at the same time, taking turns, to mix them in batches.
INTERLEAVED_ROW_GROUPS = 4


@dataclass
class StreamedBatches:
    """This process's training mini-batches from a :class:`ParquetTable` (a ``Batches``).

    ``encode`` turns rows read from the data (features and target) into a table on the
    training device. See the module docstring for the order of rows.

    Raises
    ------
    ValueError
        If there are more training processes than row groups.
    """

    source: ParquetTable
    encode: Callable[[pd.DataFrame, pd.Series | None], TensorTable]
    seed: int
    validation_rate: float
    batch_size: int
    rank: int
    world_size: int
    _n_training_rows: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.world_size > self.source.n_row_groups:
            raise ValueError(
                f"The Parquet data has {self.source.n_row_groups} row group(s), fewer "
                f"than the {self.world_size} training processes; write it with more row "
                "groups (pyarrow.parquet.write_table(..., row_group_size=...)) so that "
                "every process gets some."
            )

    def _units(self, epoch: int) -> list[int]:
        """This process's row groups in ``epoch``.

        Row groups are dealt in a new order every epoch, each to the process with the
        fewest rows so far (the same on every process: from metadata), so that shares
        differ by at most one row group's rows.
        """
        order = np.random.default_rng([self.seed, epoch, 1]).permutation(
            self.source.n_row_groups
        )
        dealt = np.zeros(self.world_size, dtype=np.int64)
        mine = []
        for unit in order:
            process = int(np.argmin(dealt))
            dealt[process] += self.source.unit_rows[unit]
            if process == self.rank:
                mine.append(int(unit))
        return mine

    def _training_rows(self, unit: int) -> np.ndarray:
        return self.source.draws(unit, self.seed) >= self.validation_rate

    def n_batches(self, epoch: int) -> int:
        """Batches this process streams in ``epoch`` (from metadata, no reading)."""
        rows = 0
        for unit in self._units(epoch):
            if unit not in self._n_training_rows:  # one number per row group
                self._n_training_rows[unit] = int(self._training_rows(unit).sum())
            rows += self._n_training_rows[unit]
        return -(-rows // self.batch_size)

    def epoch(self, epoch: int, generator: torch.Generator) -> Iterator[TensorTable]:
        """This process's training rows of ``epoch``, shuffled, in mini-batches."""
        units = self._units(epoch)
        buffer: list[TensorTable] = []
        for start in range(0, len(units), INTERLEAVED_ROW_GROUPS):
            readers = [
                self._encoded(u) for u in units[start : start + INTERLEAVED_ROW_GROUPS]
            ]
            for tables in itertools.zip_longest(*readers):
                buffer.extend(t for t in tables if t is not None)
                if sum(len(t) for t in buffer) >= SHUFFLE_ROWS:
                    buffer = yield from self._emit(buffer, generator, final=False)
        if buffer:
            yield from self._emit(buffer, generator, final=True)

    def _encoded(self, unit: int) -> Iterator[TensorTable]:
        """The training rows of row group ``unit``, encoded, a read batch at a time."""
        pa = optional_import("pyarrow", extra="parquet", feature="Parquet data")
        keep = self._training_rows(unit)
        for offset, batch in self.source.read(unit):
            mask = keep[offset : offset + batch.num_rows]
            frame, target = self.source.frames(
                pa.Table.from_batches([batch.filter(pa.array(mask))])
            )
            if len(frame):
                yield self.encode(frame, target)

    def _emit(self, buffer, generator, *, final: bool):
        """Shuffle the buffered rows and yield full batches; return what is left."""
        table = TensorTable.concat(buffer)
        table = table.rows(
            torch.randperm(len(table), generator=generator, device=generator.device)
        )
        n_full = len(table) // self.batch_size * self.batch_size
        end = len(table) if final else n_full
        for start in range(0, end, self.batch_size):
            yield table.rows(slice(start, start + self.batch_size))
        return [] if final else [table.rows(slice(n_full, None))]
