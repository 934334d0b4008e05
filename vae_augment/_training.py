"""Training loop: mini-batches on the device, early stopping, best weights, history."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from tqdm.auto import tqdm

from ._model import TabularVAE, TensorTable


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


def mean_loss(
    module: TabularVAE, table: TensorTable, beta: float, batch_size: int
) -> float:
    """Mean deterministic negative ELBO per row of ``table`` (evaluation mode)."""
    module.eval()
    total = torch.zeros((), device=table.observed.device)
    with torch.no_grad():
        for start in range(0, len(table), batch_size):
            reconstruction, kl = module.negative_elbo(
                table.rows(slice(start, start + batch_size))
            )
            total += (reconstruction + beta * kl).sum()
    return total.item() / len(table)


def train(
    module: TabularVAE,
    train_table: TensorTable,
    validation_table: TensorTable | None,
    *,
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
    restored at the end.

    Raises
    ------
    FloatingPointError
        If the loss becomes NaN or infinite.
    """
    optimizer = torch.optim.Adam(module.parameters(), lr=learning_rate)
    history = TrainingHistory()
    best_state = None
    epochs_without_improvement = 0
    n_rows = len(train_table)
    device = train_table.observed.device
    progress = tqdm(
        range(max_epochs), desc="VAEAugmenter", unit="epoch", disable=not verbose
    )
    for epoch in progress:
        module.train()
        order = torch.randperm(n_rows, generator=generator, device=device)
        total = torch.zeros((), device=device)
        for start in range(0, n_rows, batch_size):
            batch = train_table.rows(order[start : start + batch_size])
            reconstruction, kl = module.negative_elbo(
                batch, generator=generator, input_dropout=input_dropout
            )
            loss = (reconstruction + beta * kl).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(batch)
        train_loss = total.item() / n_rows
        if not math.isfinite(train_loss):
            raise FloatingPointError(
                f"The training loss became {train_loss} in epoch {epoch + 1}. Try a "
                "smaller learning_rate, or check the data for extreme values."
            )
        history.train_loss.append(train_loss)
        monitored = train_loss
        if validation_table is not None:
            monitored = mean_loss(module, validation_table, beta, batch_size)
            history.validation_loss.append(monitored)
        if monitored < history.best_loss:
            history.best_loss, history.best_epoch = monitored, epoch + 1
            best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
            epochs_without_improvement = 0
        else:
            epochs_without_improvement += 1
        progress.set_postfix(
            loss=f"{train_loss:.3f}", monitored=f"{monitored:.3f}", refresh=False
        )
        if epochs_without_improvement >= n_iter_no_change:
            break
    progress.close()
    module.load_state_dict(best_state)
    module.eval()
    return history
