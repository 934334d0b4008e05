"""The hyper-parameters of one fit, checked once and frozen."""

from __future__ import annotations

from dataclasses import dataclass

from ..utils.checks import check_hidden_dims


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
    latent_prior: str
    target_type: str
    device: object
    verbose: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden_dims", check_hidden_dims(self.hidden_dims))
