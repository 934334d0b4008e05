"""Training data as mini-batches: the protocol the loop reads, and a table on the device."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import torch

from ..model.tensors import TensorTable


class Batches(Protocol):
    """Training data: one pass of mini-batches per call to :meth:`epoch`."""

    batch_size: int

    def n_batches(self, epoch: int) -> int:
        """How many mini-batches epoch ``epoch`` (0-based) yields."""

    def epoch(self, epoch: int, generator: torch.Generator) -> Iterator[TensorTable]:
        """The mini-batches of epoch ``epoch``, in an order drawn from ``generator``."""


@dataclass
class ShuffledBatches:
    """Mini-batches of a table held on the device, reshuffled every epoch.

    ``rows`` (indices into ``table``) limits the batches to those rows -- the training
    share of a table that also holds the validation rows -- without copying them.
    """

    table: TensorTable
    batch_size: int
    rows: torch.Tensor | None = None

    def _n_rows(self) -> int:
        return len(self.table) if self.rows is None else len(self.rows)

    def n_batches(self, epoch: int) -> int:
        """Every epoch has the same batches: the last one may be smaller."""
        return -(-self._n_rows() // self.batch_size)

    def epoch(self, epoch: int, generator: torch.Generator) -> Iterator[TensorTable]:
        """The rows in a fresh random order, ``batch_size`` at a time."""
        device = self.table.observed.device
        order = torch.randperm(self._n_rows(), generator=generator, device=device)
        if self.rows is not None:
            order = self.rows[order]
        for start in range(0, len(order), self.batch_size):
            yield self.table.rows(order[start : start + self.batch_size])
