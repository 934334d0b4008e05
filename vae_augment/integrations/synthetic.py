"""Synthetic rows for the integrations: fit a clone of the user's augmenter, then draw."""

from __future__ import annotations

from ..estimators.augmenter import VAEAugmenter
from ..estimators.cloning import fit_clone


def fit_augmenter(augmenter, X, y, *, target_type: str, random_state):
    """Fit a clone of ``augmenter`` on ``X, y`` with ``target_type`` (see
    :func:`~vae_augment.estimators.cloning.fit_clone`)."""
    return fit_clone(augmenter, X, y, random_state=random_state, target_type=target_type)


def draw(augmenter: VAEAugmenter, per_class: dict | None, n_rows: int, random_state):
    """Synthetic rows: ``per_class`` rows of each class, or ``n_rows`` jointly."""
    if per_class is not None:
        return augmenter.sample(y=per_class, random_state=random_state)
    return augmenter.sample(n_rows, random_state=random_state)
