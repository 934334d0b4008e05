"""Training loop: mini-batches on the device, early stopping, best weights, history.

Faults are handled here too: a loss that turns NaN or infinite stops training with a
:class:`FloatingPointError`, ``Ctrl-C`` keeps the best weights so far, and CUDA running
out of memory is re-raised with advice (:func:`out_of_memory_advice`).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

import torch
from tqdm.auto import tqdm

from ._distributed import Processes
from ._model import TabularVAE, TensorTable


class Batches(Protocol):
    """Training data: one pass of mini-batches per call to :meth:`epoch`."""

    batch_size: int

    def n_batches(self, epoch: int) -> int:
        """How many mini-batches epoch ``epoch`` (0-based) yields."""

    def epoch(self, epoch: int, generator: torch.Generator) -> Iterator[TensorTable]:
        """The mini-batches of epoch ``epoch``, in an order drawn from ``generator``."""


@dataclass
class ShuffledBatches:
    """Mini-batches of a table held on the device, reshuffled every epoch."""

    table: TensorTable
    batch_size: int

    def n_batches(self, epoch: int) -> int:
        """Every epoch has the same batches: the last one may be smaller."""
        return -(-len(self.table) // self.batch_size)

    def epoch(self, epoch: int, generator: torch.Generator) -> Iterator[TensorTable]:
        """The table's rows in a fresh random order, ``batch_size`` at a time."""
        device = self.table.observed.device
        order = torch.randperm(len(self.table), generator=generator, device=device)
        for start in range(0, len(self.table), self.batch_size):
            yield self.table.rows(order[start : start + self.batch_size])


@dataclass
class TrainingHistory:
    """What happened during training.

    Attributes
    ----------
    train_loss : list of float
        Mean negative ELBO per training row, per epoch.
    validation_loss : list of float
        Mean negative ELBO per validation row, per epoch (empty without validation).
    best_epoch : int
        1-based epoch whose weights were kept.
    best_loss : float
        The monitored loss at ``best_epoch``.
    """

    train_loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)
    best_epoch: int = 0
    best_loss: float = math.inf


@contextmanager
def out_of_memory_advice(task: str, advice: str) -> Iterator[None]:
    """Re-raise CUDA out-of-memory errors inside the block with what to change.

    The error keeps its type (:class:`torch.cuda.OutOfMemoryError`), so that handlers
    written for torch's own error still catch it; the message names ``task``, gives
    ``advice`` and keeps torch's first line.
    """
    try:
        yield
    except torch.cuda.OutOfMemoryError as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise torch.cuda.OutOfMemoryError(
            f"The GPU ran out of memory while {task}. {advice} (torch: {detail})"
        ) from None


def _check_finite(loss: float, what: str, epoch: int) -> None:
    if not math.isfinite(loss):
        raise FloatingPointError(
            f"The {what} loss became {loss} in epoch {epoch}. Try a smaller "
            "learning_rate, or check the data for extreme values (columns spanning many "
            "orders of magnitude) and rescale them."
        )


def _mean(total: torch.Tensor, processes: Processes) -> float:
    """Sum over rows / number of rows, over all processes; ``total`` = [sum, rows]."""
    loss_sum, n_rows = processes.total(total).tolist()
    return loss_sum / n_rows


def mean_loss(
    module: TabularVAE,
    table: TensorTable,
    beta: float,
    batch_size: int,
    processes: Processes | None = None,
) -> float:
    """Mean deterministic negative ELBO per row of ``table`` (evaluation mode).

    With several processes, ``table`` is this process's share and the mean is over
    all shares.
    """
    module.eval()
    total = torch.zeros(2, dtype=torch.float64, device=table.observed.device)
    with torch.no_grad():
        for start in range(0, len(table), batch_size):
            reconstruction, kl = module.negative_elbo(
                table.rows(slice(start, start + batch_size))
            )
            total[0] += (reconstruction + beta * kl).sum()
    total[1] = len(table)
    return _mean(total, processes or Processes())


def _train_epoch(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    batches: Batches,
    epoch: int,
    beta: float,
    input_dropout: float,
    generator: torch.Generator,
    processes: Processes,
) -> float:
    """One pass over the training batches; mean training loss per row."""
    model.train()
    total = torch.zeros(2, dtype=torch.float64, device=generator.device)
    # Every process takes the same number of steps, so that all of them update their
    # weights (and optimizer state) alike: shares of unequal size stop at the
    # smallest one's count, leaving a few rows out of this epoch.
    n_steps = processes.fewest(batches.n_batches(epoch))
    if n_steps == 0:
        raise ValueError(
            "A training process has no training rows: use fewer processes than "
            "training rows (and, for Parquet data, than non-empty row groups)."
        )
    for batch in itertools.islice(batches.epoch(epoch, generator), n_steps):
        reconstruction, kl = model(batch, generator=generator, input_dropout=input_dropout)
        loss = (reconstruction + beta * kl).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total[0] += loss.detach() * len(batch)
        total[1] += len(batch)
    return _mean(total, processes)


def train(
    module: TabularVAE,
    batches: Batches,
    validation_table: TensorTable | None,
    *,
    processes: Processes,
    beta: float,
    learning_rate: float,
    batch_size: int,
    max_epochs: int,
    n_iter_no_change: int,
    input_dropout: float,
    generator: torch.Generator,
    verbose: bool,
) -> TrainingHistory:
    """Fit ``module`` with Adam; keep the weights of the best epoch.

    The monitored loss is the validation loss when a validation table is given, else the
    training loss. Training stops after ``n_iter_no_change`` epochs without improvement
    or after ``max_epochs``; the best epoch's weights (a copy, not a reference) are
    restored at the end. ``batch_size`` is the training batches' size; it sets the
    evaluation chunks and is named in out-of-memory advice.

    With several ``processes``, ``batches`` and ``validation_table`` are this process's
    shares; gradients and losses are averaged over all of them, so every process takes
    the same decisions and ends with the same weights.

    A ``KeyboardInterrupt`` (``Ctrl-C``) stops training after at least one finished
    epoch: the best weights so far are restored and a ``UserWarning`` names the epochs;
    during the first epoch, or with several processes, it propagates.

    Raises
    ------
    FloatingPointError
        If the training or validation loss of an epoch is NaN or infinite.
    torch.cuda.OutOfMemoryError
        If CUDA runs out of memory; the message suggests a smaller ``batch_size``.
    """
    model = processes.wrap(module)
    # The fused kernel updates all parameters in one call: on small networks the
    # per-tensor Python loop of the default implementation dominates a step.
    optimizer = torch.optim.Adam(module.parameters(), lr=learning_rate, fused=True)
    history = TrainingHistory()
    best_state = None
    epochs_without_improvement = 0
    progress = tqdm(
        range(max_epochs),
        desc="VAEAugmenter",
        unit="epoch",
        disable=not verbose or processes.rank != 0,
    )
    advice = (
        f"Try a smaller batch_size (it is {batch_size}), smaller hidden_dims, or "
        "device='cpu'."
    )
    try:
        with out_of_memory_advice("training", advice):
            for epoch in progress:
                train_loss = _train_epoch(
                    model,
                    optimizer,
                    batches,
                    epoch,
                    beta,
                    input_dropout,
                    generator,
                    processes,
                )
                _check_finite(train_loss, "training", epoch + 1)
                monitored = train_loss
                if validation_table is not None:
                    monitored = mean_loss(
                        module, validation_table, beta, batch_size, processes
                    )
                    _check_finite(monitored, "validation", epoch + 1)
                    history.validation_loss.append(monitored)
                history.train_loss.append(train_loss)
                if monitored < history.best_loss:
                    # Copy the weights before recording the epoch, so that an interrupt
                    # in between cannot pair this epoch with older weights.
                    best_state = {
                        k: v.detach().clone() for k, v in module.state_dict().items()
                    }
                    history.best_loss, history.best_epoch = monitored, epoch + 1
                    epochs_without_improvement = 0
                else:
                    epochs_without_improvement += 1
                progress.set_postfix(
                    loss=f"{train_loss:.3f}", monitored=f"{monitored:.3f}", refresh=False
                )
                if epochs_without_improvement >= n_iter_no_change:
                    break
    except KeyboardInterrupt:
        # Several processes are interrupted at different points: carrying on would
        # leave them out of step, waiting for each other.
        if best_state is None or processes.is_distributed:
            raise
        warnings.warn(
            f"Training interrupted in epoch {len(history.train_loss) + 1}; keeping the "
            f"weights of epoch {history.best_epoch}, the best of the "
            f"{len(history.train_loss)} finished epoch(s).",
            UserWarning,
            stacklevel=4,  # train <- VAEAugmenter._fit <- fit <- the user's call
        )
    finally:
        progress.close()
    module.load_state_dict(best_state)
    module.eval()
    return history
