"""The hyper-parameters of one fit, checked once and frozen."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import torch
from sklearn.utils._param_validation import Interval, StrOptions

from ..table.target import CLASSES, CONTINUOUS
from ..utils.checks import check_hidden_dims

#: The domain of every setting, in scikit-learn's parameter-validation terms.
PARAMETER_CONSTRAINTS: dict = {
    "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
    "hidden_dims": ["array-like"],
    "beta": [Interval(numbers.Real, 0, None, closed="left")],
    "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
    "batch_size": [
        Interval(numbers.Integral, 1, None, closed="left"),
        StrOptions({"auto"}),
    ],
    "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
    "validation_fraction": [Interval(numbers.Real, 0, 1, closed="left")],
    "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
    "input_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
    "target_dropout": [Interval(numbers.Real, 0, 1, closed="both")],
    "target_head": ["boolean"],
    "latent_prior": [StrOptions({"mixture", "normal"})],
    "target_type": [StrOptions({"auto", CLASSES, CONTINUOUS})],
    "column_kinds": [dict, None],
    "rules": [StrOptions({"auto"}), dict, None],
    "device": [StrOptions({"auto"}), str, torch.device],
    "verbose": ["boolean"],
}


@dataclass(frozen=True)
class Settings:
    """What :func:`~vae_augment.fitting.fit.fit_vae` needs from the estimator.

    The fields are :class:`~vae_augment.VAEAugmenter`'s parameters of the same names
    (see its docstring), but ``random_state``, which the fit takes on its own.

    Raises
    ------
    ValueError
        If ``hidden_dims`` is not a non-empty sequence of positive integers.
    """

    latent_dim: int
    hidden_dims: tuple[int, ...]
    beta: float
    learning_rate: float
    batch_size: int | str
    max_epochs: int
    validation_fraction: float
    n_iter_no_change: int
    input_dropout: float
    target_dropout: float
    latent_prior: str
    target_type: str
    device: object
    verbose: bool
    column_kinds: dict | None = None
    rules: str | dict | None = "auto"
    target_head: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden_dims", check_hidden_dims(self.hidden_dims))
