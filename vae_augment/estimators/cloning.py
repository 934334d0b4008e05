"""Estimators built on a user's ``VAEAugmenter``: fit a clone, never the original."""

from __future__ import annotations

from sklearn.base import clone
from sklearn.utils import check_random_state

from ..utils.seeds import new_seed
from .augmenter import VAEAugmenter


def fit_clone(augmenter: VAEAugmenter | None, X, y=None, *, random_state, **params):
    """Fit a clone of ``augmenter`` (default :class:`VAEAugmenter`) on ``X, y``.

    The clone gets ``params`` and, when ``random_state`` is not ``None``, a seed drawn
    from it; the user's augmenter is never changed.
    """
    fitted = clone(augmenter if augmenter is not None else VAEAugmenter())
    fitted.set_params(**params)
    if random_state is not None:
        fitted.set_params(random_state=new_seed(check_random_state(random_state)))
    return fitted.fit(X, y)


def copy_feature_names(estimator, augmenter: VAEAugmenter) -> None:
    """Give ``estimator`` the fitted augmenter's ``n_features_in_`` (and names)."""
    estimator.n_features_in_ = augmenter.n_features_in_
    if hasattr(augmenter, "feature_names_in_"):
        estimator.feature_names_in_ = augmenter.feature_names_in_
