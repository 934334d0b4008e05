"""Synthetic rows for the integrations: fit a clone of the user's augmenter, then draw."""

from __future__ import annotations

from sklearn.base import clone
from sklearn.utils import check_random_state

from ..estimators.augmenter import VAEAugmenter
from ..utils.seeds import new_seed


def fit_augmenter(augmenter, X, y, *, target_type: str, random_state):
    """Fit a clone of ``augmenter`` (default :class:`VAEAugmenter`) on ``X, y``.

    The clone gets ``target_type`` and, when ``random_state`` is not ``None``, a seed
    drawn from it; the user's augmenter is never changed.
    """
    fitted = clone(augmenter if augmenter is not None else VAEAugmenter())
    fitted.set_params(target_type=target_type)
    if random_state is not None:
        fitted.set_params(random_state=new_seed(check_random_state(random_state)))
    return fitted.fit(X, y)


def draw(augmenter: VAEAugmenter, per_class: dict | None, n_rows: int, random_state):
    """Synthetic rows: ``per_class`` rows of each class, or ``n_rows`` jointly."""
    if per_class is not None:
        return augmenter.sample(y=per_class, random_state=random_state)
    return augmenter.sample(n_rows, random_state=random_state)
