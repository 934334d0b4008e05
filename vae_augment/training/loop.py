"""The training loop: Adam over mini-batches, early stopping, the best epoch's weights.

Faults are handled here too: a loss that turns NaN or infinite stops training with a
:class:`FloatingPointError`, ``Ctrl-C`` keeps the best weights so far, and CUDA running
out of memory is re-raised with advice. How training ended is told by
:mod:`.reporting`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import torch
from tqdm.auto import tqdm

from ..model.devices import out_of_memory_advice
from ..model.inference import collect
from ..model.tensors import TensorTable
from ..model.vae import TabularVAE
from .adam import FusedAdam
from .batches import Batches
from .distributed import Processes
from .reporting import EARLY_STOP, INTERRUPTED, MAX_EPOCHS, Ending, log_epoch
from .stopping import BestPartWeights, EarlyStopping, TrainingHistory


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


def mean_losses(
    module: TabularVAE,
    table: TensorTable,
    beta: float,
    processes: Processes | None = None,
) -> tuple[float, float]:
    """Mean deterministic negative ELBO and target-head loss (0 without a head) per
    row of ``table`` (evaluation mode), in one pass.

    With several processes, ``table`` is this process's share and the means are over
    all shares.
    """

    def step(rows: slice) -> tuple[torch.Tensor, torch.Tensor]:
        chunk = table.rows(rows)
        reconstruction, kl = module.negative_elbo(chunk)
        return reconstruction + beta * kl, module.target_head_loss(chunk)

    elbo, head = collect(module, len(table), step)
    processes = processes or Processes()
    device = table.observed.device
    return tuple(
        _mean(
            torch.tensor(
                [np.sum(losses, dtype=np.float64), len(table)],
                dtype=torch.float64,
                device=device,
            ),
            processes,
        )
        for losses in (elbo, head)
    )


def _train_epoch(
    model: torch.nn.Module,
    optimizer: FusedAdam,
    batches: Batches,
    epoch: int,
    beta: float,
    input_dropout: float,
    target_dropout: float,
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
        reconstruction, kl = model(
            batch,
            generator=generator,
            input_dropout=input_dropout,
            target_dropout=target_dropout,
        )
        loss = (reconstruction + beta * kl).mean()
        optimizer.zero_grad()
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
    max_epochs: int,
    n_iter_no_change: int,
    input_dropout: float,
    target_dropout: float,
    generator: torch.Generator,
    verbose: bool,
) -> TrainingHistory:
    """Fit ``module`` with Adam; keep the weights of the best epoch.

    The monitored loss is the validation loss when a validation table is given, else the
    training loss. Training stops after ``n_iter_no_change`` epochs without improvement
    or after ``max_epochs``; the best epoch's weights (a copy, not a reference) are
    restored at the end. With a target head the monitored validation loss is the sum of
    the VAE's and the head's, and the head keeps the weights of the epoch of its own
    lowest validation loss: it learns faster than the VAE and, trained on for long
    (a small learning rate), overfits (one table's TSTR R² fell to -0.83).

    With several ``processes``, ``batches`` and ``validation_table`` are this process's
    shares; gradients and losses are averaged over all of them, so every process takes
    the same decisions and ends with the same weights.

    A ``KeyboardInterrupt`` (``Ctrl-C``) stops training after at least one finished
    epoch: the best weights so far are restored and a ``TrainingWarning`` names the
    epochs; during the first epoch, or with several processes, it propagates. Reaching
    ``max_epochs`` before early stopping ends training gives a ``MaxEpochsWarning``
    (scikit-learn's ``ConvergenceWarning``); the progress bar ends with the reason.

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
    optimizer = FusedAdam(module.parameters(), lr=learning_rate)
    history = TrainingHistory()
    stopping = EarlyStopping(n_iter_no_change, history)
    head = BestPartWeights("target_head.")
    advice = (
        f"Try a smaller batch_size (it is {batches.batch_size}), smaller hidden_dims, or "
        "device='cpu'."
    )
    reason = MAX_EPOCHS
    # Updated by hand, not iterated over: an iterated bar closes itself when the loop
    # ends, before it could show why.
    with tqdm(
        total=max_epochs,
        desc="VAEAugmenter",
        unit="epoch",
        disable=not verbose or processes.rank != 0,
    ) as progress:
        try:
            with out_of_memory_advice("training", advice):
                for epoch in range(max_epochs):
                    train_loss = _train_epoch(
                        model,
                        optimizer,
                        batches,
                        epoch,
                        beta,
                        input_dropout,
                        target_dropout,
                        generator,
                        processes,
                    )
                    _check_finite(train_loss, "training", epoch + 1)
                    monitored = train_loss
                    if validation_table is not None:
                        monitored, part = mean_losses(
                            module, validation_table, beta, processes
                        )
                        if module.has_target_head:
                            head.on_epoch_end(part, module)
                            monitored += part
                        _check_finite(monitored, "validation", epoch + 1)
                        history.validation_loss.append(monitored)
                    history.train_loss.append(train_loss)
                    log_epoch(history, processes)
                    progress.set_postfix(
                        loss=f"{train_loss:.3f}",
                        monitored=f"{monitored:.3f}",
                        refresh=False,
                    )
                    progress.update()
                    if stopping.on_epoch_end(epoch + 1, monitored, module):
                        reason = EARLY_STOP
                        break
        except KeyboardInterrupt:
            # Several processes are interrupted at different points: carrying on would
            # leave them out of step, waiting for each other.
            if stopping.best_weights is None or processes.is_distributed:
                raise
            reason = INTERRUPTED
        ending = Ending(reason, history, max_epochs, n_iter_no_change)
        progress.set_description_str(f"VAEAugmenter: {ending.summary}", refresh=False)
    stopping.restore_best(module)
    head.restore(module)
    module.eval()
    ending.report(processes)
    return history
