"""Early stopping as a small object: counters, the best epoch, a copy of its weights."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch


@dataclass
class TrainingHistory:
    """What happened during training.

    Parameters
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

    @property
    def n_epochs(self) -> int:
        """Number of finished epochs."""
        return len(self.train_loss)


@dataclass
class BestPartWeights:
    """The weights of one part of a network (the names starting with ``prefix``) at
    the epoch of that part's own lowest loss.

    Parameters
    ----------
    prefix : str
        The start of the part's parameter names (``"target_head."``).
    """

    prefix: str
    best_loss: float = math.inf
    weights: dict[str, torch.Tensor] | None = field(default=None, repr=False)

    def on_epoch_end(self, loss: float, module: torch.nn.Module) -> None:
        """Record the part's loss of an epoch; keep its weights if it is the lowest."""
        if loss < self.best_loss:
            self.best_loss = loss
            self.weights = {
                name: value.detach().clone()
                for name, value in module.state_dict().items()
                if name.startswith(self.prefix)
            }

    def restore(self, module: torch.nn.Module) -> None:
        """Load the part's best weights into ``module`` (nothing if none was kept)."""
        if self.weights is not None:
            module.load_state_dict(self.weights, strict=False)


@dataclass
class EarlyStopping:
    """Stop after ``patience`` epochs without improvement; keep the best weights.

    The training loop calls :meth:`on_epoch_end` after every epoch and
    :meth:`restore_best` at the end.

    Parameters
    ----------
    patience : int
        Epochs without a lower monitored loss before training stops.
    history : TrainingHistory
        Where the best epoch and loss are recorded.
    """

    patience: int
    history: TrainingHistory
    best_weights: dict[str, torch.Tensor] | None = field(default=None, repr=False)
    _epochs_without_improvement: int = 0

    def on_epoch_end(self, epoch: int, monitored: float, module: torch.nn.Module) -> bool:
        """Record epoch ``epoch`` (1-based); return whether training should stop."""
        if monitored < self.history.best_loss:
            # A copy, not state_dict()'s references (those would follow later updates),
            # taken before the epoch is recorded, so that an interrupt in between
            # cannot pair this epoch with older weights.
            self.best_weights = {
                k: v.detach().clone() for k, v in module.state_dict().items()
            }
            self.history.best_loss, self.history.best_epoch = monitored, epoch
            self._epochs_without_improvement = 0
        else:
            self._epochs_without_improvement += 1
        return self._epochs_without_improvement >= self.patience

    def restore_best(self, module: torch.nn.Module) -> None:
        """Load the best epoch's weights into ``module``."""
        module.load_state_dict(self.best_weights)
