"""Several training processes: the ``torch.distributed`` process group ``fit`` joins.

A fit started by ``torchrun`` (or in any process group the user initialised) trains one
model with :class:`~torch.nn.parallel.DistributedDataParallel`: every process trains on
its own shard of the rows, gradients are averaged, and whatever is decided from data
outside the gradient step (the column codec, the validation split, the latent prior, when
to stop) is decided once, by rank 0, and shared -- so all processes end with the same
model.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import torch
from torch import distributed as dist
from torch import nn

T = TypeVar("T")

#: How long processes wait for each other, e.g. while process 0 reads a large Parquet
#: dataset for the codec sample (torch's defaults are 10 to 30 minutes).
_TIMEOUT = timedelta(hours=2)


@dataclass(frozen=True)
class Processes:
    """The processes one ``fit`` runs in: this process's ``rank`` of ``world_size``."""

    rank: int = 0
    world_size: int = 1

    @property
    def is_distributed(self) -> bool:
        """Whether more than one process trains."""
        return self.world_size > 1

    def share(self, value: T) -> T:
        """Rank 0's ``value``, on every process (pickled; for small objects)."""
        if not self.is_distributed:
            return value
        box = [value if self.rank == 0 else None]
        dist.broadcast_object_list(box, src=0)
        return box[0]

    def first_computes(self, compute: Callable[[], T]) -> T:
        """``compute()`` run by rank 0 only; its result, or its error, on every process.

        An error on rank 0 is raised on every process (the others would otherwise wait
        for a result that never comes).
        """
        if not self.is_distributed:
            return compute()
        if self.rank != 0:
            succeeded, value = self.share(None)
            if not succeeded:
                raise RuntimeError(f"Process 0 of the training processes failed: {value}")
            return value
        try:
            value = compute()
            # Inside the try: a value that cannot be sent is reported as a failure.
            self.share((True, value))
        except Exception as error:
            # The message, not the exception: it may not survive pickling.
            self.share((False, f"{type(error).__name__}: {error}"))
            raise
        return value

    def fewest(self, count: int) -> int:
        """The smallest ``count`` over the processes."""
        if not self.is_distributed:
            return count
        value = torch.tensor([count], dtype=torch.int64, device=self._device)
        dist.all_reduce(value, op=dist.ReduceOp.MIN)
        return int(value.item())

    @property
    def _device(self) -> torch.device:
        """Where collectives of small tensors run (NCCL needs them on the GPU)."""
        return local_cuda_device() if dist.get_backend() == "nccl" else torch.device("cpu")

    def total(self, values: torch.Tensor) -> torch.Tensor:
        """Element-wise sum of ``values`` over the processes (in place)."""
        if self.is_distributed:
            dist.all_reduce(values, op=dist.ReduceOp.SUM)
        return values

    def wrap(self, module: nn.Module) -> nn.Module:
        """``module`` with gradients averaged over the processes."""
        if not self.is_distributed:
            return module
        # device_ids=None: the module lives on one device and batches are already
        # there, so DDP has nothing to move.
        return nn.parallel.DistributedDataParallel(module, device_ids=None)


def current_processes() -> Processes:
    """The process group this process belongs to, joining ``torchrun``'s if needed.

    A group the user initialised is used as it is. Under ``torchrun`` (``WORLD_SIZE``
    above 1 in the environment) without one, the default group is initialised from the
    environment: NCCL for CUDA tensors and gloo for CPU ones when CUDA is available
    (each process then uses the GPU numbered by its ``LOCAL_RANK``), gloo alone
    otherwise.
    """
    if not dist.is_available():
        return Processes()
    if not dist.is_initialized():
        if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
            return Processes()
        if torch.cuda.is_available():
            if local_cuda_device().index < torch.cuda.device_count():
                torch.cuda.set_device(local_cuda_device())
            dist.init_process_group("cpu:gloo,cuda:nccl", timeout=_TIMEOUT)
        else:
            dist.init_process_group("gloo", timeout=_TIMEOUT)
    return Processes(dist.get_rank(), dist.get_world_size())


def local_cuda_device() -> torch.device:
    """The GPU of this process.

    ``cuda:LOCAL_RANK`` under ``torchrun``, else the current CUDA device (which a script
    that starts its own processes sets).
    """
    if "LOCAL_RANK" in os.environ:
        return torch.device("cuda", int(os.environ["LOCAL_RANK"]))
    return torch.device("cuda", torch.cuda.current_device())
