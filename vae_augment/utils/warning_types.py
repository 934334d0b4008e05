"""The warnings vae_augment raises: one base class and a few kinds, each filterable.

Every warning of the package is a :class:`VAEAugmentWarning` (a ``UserWarning``), so
``warnings.simplefilter("ignore", VAEAugmentWarning)`` silences exactly ours; the kinds
below it let a user silence, or turn into errors, one cause at a time.
"""

from __future__ import annotations

from sklearn.exceptions import ConvergenceWarning


class VAEAugmentWarning(UserWarning):
    """Base class of every warning vae_augment raises.

    Examples
    --------
    >>> import warnings
    >>> from vae_augment import VAEAugmentWarning
    >>> warnings.simplefilter("ignore", VAEAugmentWarning)  # silence vae_augment only
    """


class DataWarning(VAEAugmentWarning):
    """The data is used, but not as given.

    For example, a category never seen in ``fit`` is treated as missing by
    ``transform`` and ``score_samples``; the command line's ``fit`` models a target of
    many whole numbers as classes.
    """


class TargetTypeWarning(DataWarning):
    """``y`` could be class labels or a number, and was taken for class labels.

    Raised by ``fit`` with ``target_type="auto"`` for more than 20 distinct whole
    numbers that are fewer than 5 % of the rows; ``target_type="classes"`` or
    ``"continuous"`` says which, and silences it.
    """


class TrainingWarning(VAEAugmentWarning):
    """Training ended, or a fit's step was replaced, other than planned.

    For example, ``Ctrl-C`` during training keeps the best weights so far; during the
    fit of the latent mixture, it falls back to the N(0, I) prior.
    """


class MaxEpochsWarning(ConvergenceWarning, TrainingWarning):
    """Training reached ``max_epochs`` before early stopping ended it.

    The monitored loss improved within the last ``n_iter_no_change`` epochs, so more
    epochs may fit better. It is scikit-learn's
    :class:`~sklearn.exceptions.ConvergenceWarning` as well as a
    :class:`TrainingWarning`: a filter for either class catches it.
    """


class DeviceWarning(VAEAugmentWarning):
    """A model runs on another device than the one it was fitted on.

    For example, a model fitted on a GPU this machine lacks is loaded on the CPU.
    """
