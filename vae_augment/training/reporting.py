"""What training tells the user: the losses of each epoch, and why and how it ended.

The ending is told once, in the same words, on the progress bar, in the
``vae_augment`` log and, when training did not end as planned, as a warning. Logs come
from process 0 only (as the progress bar does); warnings from every process, since
every process's model is in the same state and a warnings filter that turns one into
an error must stop all of them alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..utils.user_warnings import warn_user
from ..utils.warning_types import MaxEpochsWarning, TrainingWarning
from .distributed import Processes
from .stopping import TrainingHistory

logger = logging.getLogger(__name__)

#: Why training ended.
EARLY_STOP, MAX_EPOCHS, INTERRUPTED = "early stop", "max_epochs", "interrupted"


def log_epoch(history: TrainingHistory, processes: Processes) -> None:
    """Log the losses of the last finished epoch (DEBUG)."""
    if processes.rank != 0 or not logger.isEnabledFor(logging.DEBUG):
        return
    validation = ""
    if history.validation_loss:
        validation = f", validation loss {history.validation_loss[-1]:.4f}"
    logger.debug(
        "epoch %d: training loss %.4f%s",
        history.n_epochs,
        history.train_loss[-1],
        validation,
    )


@dataclass(frozen=True)
class Ending:
    """How training ended.

    Parameters
    ----------
    reason : {"early stop", "max_epochs", "interrupted"}
        Why it ended.
    history : TrainingHistory
        The finished epochs and the kept one.
    max_epochs : int
        The most epochs training could run.
    patience : int
        Early stopping's ``n_iter_no_change``.
    """

    reason: str
    history: TrainingHistory
    max_epochs: int
    patience: int

    @property
    def monitored(self) -> str:
        """The loss early stopping watched."""
        return "validation loss" if self.history.validation_loss else "training loss"

    @property
    def summary(self) -> str:
        """Why it ended and the kept epoch, in a few words (the progress bar's end)."""
        stopped = {
            EARLY_STOP: f"stopped early at epoch {self.history.n_epochs}",
            MAX_EPOCHS: f"reached max_epochs={self.max_epochs}",
            INTERRUPTED: f"interrupted in epoch {self.history.n_epochs + 1}",
        }[self.reason]
        return f"{stopped}, kept epoch {self.history.best_epoch}"

    def _details(self) -> str:
        history = self.history
        return {
            EARLY_STOP: f"stopped early at epoch {history.n_epochs} (no improvement in "
            f"{self.monitored} for {self.patience} epochs)",
            MAX_EPOCHS: f"reached max_epochs={self.max_epochs} before early stopping "
            f"ended it (the {self.monitored} last improved at epoch {history.best_epoch}, "
            f"fewer than n_iter_no_change={self.patience} epochs before the end)",
            INTERRUPTED: f"was interrupted in epoch {history.n_epochs + 1}",
        }[self.reason]

    def report(self, processes: Processes) -> None:
        """Log the ending (INFO, process 0) and warn unless early stopping ended it."""
        history = self.history
        if processes.rank == 0:
            logger.info(
                "Training %s; kept epoch %d (%s %.4f).",
                self._details(),
                history.best_epoch,
                self.monitored,
                history.best_loss,
            )
        if self.reason == MAX_EPOCHS:
            warn_user(
                f"Training reached max_epochs={self.max_epochs} before it converged: "
                f"the {self.monitored} last improved at epoch {history.best_epoch}, "
                f"fewer than n_iter_no_change={self.patience} epochs before the end. "
                f"Kept the weights of epoch {history.best_epoch}; a larger max_epochs "
                "may fit better.",
                MaxEpochsWarning,
            )
        elif self.reason == INTERRUPTED:
            warn_user(
                f"Training interrupted in epoch {history.n_epochs + 1}; keeping the "
                f"weights of epoch {history.best_epoch}, the best of the "
                f"{history.n_epochs} finished epoch(s).",
                TrainingWarning,
            )
