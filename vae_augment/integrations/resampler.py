"""``VAEResampler``: VAE over-sampling with imbalanced-learn's ``fit_resample`` API."""

from __future__ import annotations

import logging
import numbers
from collections.abc import Callable, Mapping
from typing import ClassVar

from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from ..estimators.augmenter import VAEAugmenter
from ..table.frames import as_frame, concat_rows
from ..table.target import CONTINUOUS, validate_target
from .strategy import class_counts, rows_to_enlarge, rows_to_generate
from .synthetic import draw, fit_augmenter

logger = logging.getLogger(__name__)


class VAEResampler(BaseEstimator):
    """Over-sample a training set with VAE-generated rows (imbalanced-learn compatible).

    ``fit_resample(X, y)`` returns the real rows followed by synthetic ones, in the
    container and dtypes of the input. Use it as a step of an
    :class:`imblearn.pipeline.Pipeline`, which applies it only when fitting, so synthetic
    rows never reach validation folds or predictions.

    Parameters
    ----------
    augmenter : VAEAugmenter or None, default=None
        The generator's settings; cloned for every ``fit_resample`` (never changed).
        ``None`` means ``VAEAugmenter()``.
    sampling_strategy : str, float, dict or callable, default="auto"
        Which classes to over-sample and how far, as in imbalanced-learn:
        ``"auto"``/``"not majority"``, ``"minority"``, ``"not minority"``, ``"all"``
        (up to the majority's size), a float (binary: minority/majority ratio), a dict
        ``{class: target_count}``, or a callable ``f(y) -> dict``.
    n_synthetic : float or None, default=None
        When set, ignore ``sampling_strategy`` and add ``n_synthetic`` synthetic rows per
        real row, keeping class proportions. This is the mode for regression targets,
        which are generated jointly with ``X``.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator's fit and sampling; ``None`` keeps the augmenter's own.

    Attributes
    ----------
    augmenter_ : VAEAugmenter or None
        The fitted generator (``None`` when no row had to be generated).
    sampling_strategy_ : dict
        Synthetic rows generated per class (``{None: n}`` for a regression target).

    Examples
    --------
    >>> import numpy as np
    >>> from vae_augment import VAEAugmenter, VAEResampler
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(120, 3)), np.r_[np.zeros(100), np.ones(20)]
    >>> sampler = VAEResampler(VAEAugmenter(max_epochs=5), random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res.astype(int))
    array([100, 100])
    """

    _parameter_constraints: ClassVar[dict] = {
        "augmenter": [VAEAugmenter, None],
        "sampling_strategy": [str, numbers.Real, Mapping, Callable],
        "n_synthetic": [Interval(numbers.Real, 0, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        augmenter: VAEAugmenter | None = None,
        *,
        sampling_strategy: str | float | Mapping | Callable = "auto",
        n_synthetic: float | None = None,
        random_state=None,
    ) -> None:
        self.augmenter = augmenter
        self.sampling_strategy = sampling_strategy
        self.n_synthetic = n_synthetic
        self.random_state = random_state

    def fit_resample(self, X, y):
        """Return ``X, y`` with synthetic rows appended.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like or Series of shape (n_samples,)
            Class labels (or, with ``n_synthetic``, a continuous target).

        Returns
        -------
        X_resampled : ndarray or DataFrame
            Real rows followed by synthetic ones (fresh index for DataFrames).
        y_resampled : ndarray or Series
            Their targets.
        """
        self._validate_params()
        if y is None:
            raise ValueError(
                "VAEResampler needs y: class labels or, with n_synthetic, a target."
            )
        # Validated here too, so that bad input fails even when no row is generated.
        frame, _ = as_frame(X)
        # The augmenter's target_type decides in enlarge mode (an integer regression
        # target is continuous only if the user says so); sampling_strategy needs classes.
        own_type = "auto" if self.augmenter is None else self.augmenter.target_type
        target, _ = validate_target(y, len(frame), own_type)
        rng = check_random_state(self.random_state)
        if self.n_synthetic is None and target.kind == CONTINUOUS:
            raise ValueError(
                "sampling_strategy is for class labels; y is continuous. Set n_synthetic "
                "(synthetic rows per real row) to enlarge a regression training set."
            )
        if self.n_synthetic is None:
            per_class, target_type, n_rows = (
                rows_to_generate(y, self.sampling_strategy),
                "classes",
                0,
            )
        else:
            per_class, target_type = None, own_type
            n_rows = round(self.n_synthetic * len(y))
        self.augmenter_ = None
        self.sampling_strategy_ = per_class if per_class is not None else {None: n_rows}
        if (per_class is not None and not per_class) or (per_class is None and n_rows == 0):
            return X, y
        self.augmenter_ = fit_augmenter(
            self.augmenter, X, y, target_type=target_type, random_state=rng
        )
        if per_class is None and self.augmenter_.classes_ is not None:
            per_class = rows_to_enlarge(y, self.n_synthetic)
            self.sampling_strategy_ = per_class
        logger.info(
            "Generating %d synthetic rows (sampling_strategy_=%s) for %s.",
            sum(self.sampling_strategy_.values()),
            self.sampling_strategy_,
            f"n_synthetic={self.n_synthetic} per real row"
            if self.n_synthetic is not None
            else f"sampling_strategy={self.sampling_strategy!r} and the class counts "
            f"{class_counts(y).to_dict()}",
        )
        X_new, y_new = draw(self.augmenter_, per_class, n_rows, rng)
        return concat_rows(X, X_new), concat_rows(y, y_new)

    def fit(self, X, y):
        """Fit the generator as :meth:`fit_resample` does, discarding the rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like or Series of shape (n_samples,)
            Class labels (or, with ``n_synthetic``, a continuous target).

        Returns
        -------
        self : VAEResampler
            The fitted sampler.
        """
        self.fit_resample(X, y)
        return self
