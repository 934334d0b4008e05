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
from dataclasses import dataclass
from typing import TypeVar

import torch
from torch import distributed as dist
from torch import nn

T = TypeVar("T")


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
    environment, with the NCCL backend when CUDA is available, else gloo.
    """
    if not dist.is_available():
        return Processes()
    if not dist.is_initialized():
        if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
            return Processes()
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return Processes(dist.get_rank(), dist.get_world_size())


def local_cuda_device() -> torch.device:
    """The GPU of this process: ``cuda:LOCAL_RANK`` under ``torchrun``."""
    return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
