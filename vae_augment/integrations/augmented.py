"""``AugmentedEstimator``: fit a scikit-learn estimator on real plus VAE-generated rows."""

from __future__ import annotations

import logging
import numbers
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import column_or_1d

from ..estimators.augmenter import VAEAugmenter
from ..table.frames import concat_rows
from ..table.polars_frames import is_polars
from .delegation import EstimatorDelegation
from .strategy import rows_to_enlarge
from .synthetic import draw, fit_augmenter
from .weights import augmented_weights, check_sample_weight, weight_parameter

logger = logging.getLogger(__name__)


def _rows(data, index: np.ndarray):
    """Rows ``index`` of an array, pandas or polars DataFrame, or Series (positional)."""
    if hasattr(data, "iloc"):
        return data.iloc[index]
    return data[index] if is_polars(data) else np.asarray(data)[index]


@dataclass(frozen=True)
class _Training:
    """Real training rows: ``X``, ``y`` and their weights (``None``: all 1)."""

    X: object
    y: object
    weights: np.ndarray | None

    def rows(self, index: np.ndarray) -> _Training:
        """The rows ``index`` (positional), with their weights."""
        weights = None if self.weights is None else self.weights[index]
        return _Training(_rows(self.X, index), _rows(self.y, index), weights)

    def score(self, scorer, estimator) -> float:
        """``scorer``'s score of ``estimator`` on these rows, weighted by their weights."""
        weight = {} if self.weights is None else {"sample_weight": self.weights}
        return scorer(estimator, self.X, self.y, **weight)


class AugmentedEstimator(EstimatorDelegation, MetaEstimatorMixin, BaseEstimator):
    """Fit an estimator on its training data plus synthetic rows from a VAE.

    ``fit(X, y)`` fits a clone of ``augmenter`` on ``X, y`` -- conditional on the labels
    for a classifier, jointly with the target for a regressor --, adds synthetic rows,
    and fits a clone of ``estimator`` on real plus synthetic rows. Prediction delegates
    to that estimator. Because generation happens inside ``fit``, the augmenter only
    ever sees the data ``fit`` is given: under ``cross_val_score`` or ``GridSearchCV``
    that is the training folds, never the validation fold.

    ``fit`` takes ``sample_weight``: real rows keep their weights and a synthetic row
    weighs ``synthetic_weight`` times the mean weight of the real rows of its class.
    With scikit-learn's metadata routing enabled, ``set_fit_request(sample_weight=True)``
    asks for it, and the estimator's own requests route metadata to its ``fit``,
    ``predict``, ``score``, ... (see the user guide's "Pipelines" page).

    Parameters
    ----------
    estimator : estimator object
        The classifier or regressor to train; cloned.
    augmenter : VAEAugmenter or None, default=None
        The generator's settings; cloned (never changed). ``None`` means
        ``VAEAugmenter()``. Tune it as ``augmenter__<param>`` in a grid search.
    n_synthetic : float or "auto", default=1.0
        Synthetic rows per real row (class proportions kept). ``"auto"`` picks one of
        ``candidates`` -- zero included -- by inner cross-validation on the training
        data, so augmentation is only used where it scores better than none.
    candidates : tuple of float, default=(0.0, 0.5, 1.0, 2.0)
        The ratios ``"auto"`` chooses from.
    synthetic_weight : float, default=1.0
        The weight of a synthetic row, in units of the mean weight of the real rows of
        its class (of all real rows for a regressor); without ``sample_weight`` real
        rows weigh 1, so a synthetic row weighs ``synthetic_weight``. A value other
        than 1, like ``sample_weight``, needs an estimator whose ``fit`` takes
        ``sample_weight``.
    cv : int, cross-validation generator or iterable, default=3
        Inner cross-validation of ``"auto"`` (stratified for classifiers).
    scoring : str, callable or None, default=None
        Inner score of ``"auto"``; ``None`` uses the estimator's ``score``.
    random_state : int, RandomState instance or None, default=None
        Seeds the augmenter's fits and sampling.

    Attributes
    ----------
    estimator_ : estimator
        The estimator fitted on real plus synthetic rows.
    augmenter_ : VAEAugmenter or None
        The generator fitted on all of ``X`` (``None`` when no rows were added).
    n_synthetic_ : float
        The ratio used.
    inner_scores_ : dict or None
        For ``"auto"``: mean inner cross-validation score of each candidate ratio.
    classes_ : ndarray
        Class labels (classifiers only).
    n_features_in_ : int
        Number of columns seen in fit (when the fitted estimator records it).
    feature_names_in_ : ndarray of str
        Column names seen in fit (when the fitted estimator records them).

    See Also
    --------
    VAEResampler : The same synthetic rows as an imbalanced-learn sampler.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from vae_augment import AugmentedEstimator, VAEAugmenter
    >>> X, y = load_iris(return_X_y=True)
    >>> model = AugmentedEstimator(
    ...     LogisticRegression(max_iter=500), VAEAugmenter(max_epochs=20), random_state=0
    ... ).fit(X, y)
    >>> model.predict(X[:3]).tolist()
    [0, 0, 0]
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit"])],
        "augmenter": [VAEAugmenter, None],
        "n_synthetic": [
            Interval(numbers.Real, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "candidates": ["array-like"],
        "synthetic_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "cv": ["cv_object"],
        "scoring": [str, callable, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        augmenter: VAEAugmenter | None = None,
        *,
        n_synthetic: float | str = 1.0,
        candidates: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0),
        synthetic_weight: float = 1.0,
        cv=3,
        scoring=None,
        random_state=None,
    ) -> None:
        self.estimator = estimator
        self.augmenter = augmenter
        self.n_synthetic = n_synthetic
        self.candidates = candidates
        self.synthetic_weight = synthetic_weight
        self.cv = cv
        self.scoring = scoring
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None, **fit_params) -> AugmentedEstimator:
        """Fit the augmenter on ``X, y`` and the estimator on real plus synthetic rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows (any table ``VAEAugmenter`` accepts and the estimator can use).
        y : array-like or Series of shape (n_samples,)
            Class labels (classifier) or target (regressor).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the real rows, which keep them; a synthetic row weighs
            ``synthetic_weight`` times the mean weight of the real rows of its class.
            The estimator's ``fit`` gets the weights of all rows; with
            ``n_synthetic="auto"``, so do the inner fits, and the inner scores weigh the
            validation rows. The VAE itself is fitted unweighted: the synthetic rows of
            a class follow its rows' distribution whatever their weights.
        **fit_params : dict
            Only with metadata routing enabled: metadata that the estimator's ``fit``
            requests, passed on as given (also to the inner fits of ``"auto"``). They
            are not extended to the synthetic rows, so none may hold a value per row.

        Returns
        -------
        self : AugmentedEstimator
            The fitted meta-estimator.
        """
        self._validate_params()
        if not hasattr(y, "iloc"):
            y = column_or_1d(y, warn=True)
        data = _Training(X, y, check_sample_weight(sample_weight, len(y)))
        params = self._estimator_params("fit", fit_params)
        if data.weights is not None or self.synthetic_weight != 1.0:
            weight_parameter(self.estimator)  # refused before any fit
        candidates = self._checked_candidates()
        rng = check_random_state(self.random_state)
        self.inner_scores_ = None
        if self.n_synthetic == "auto":
            self.inner_scores_ = self._inner_scores(data, candidates, params, rng)
            best = max(self.inner_scores_.values())
            # The smallest ratio reaching the best score: ties go to less augmentation.
            self.n_synthetic_ = min(r for r, s in self.inner_scores_.items() if s == best)
            logger.info(
                "n_synthetic='auto' chose %g, the smallest ratio with the best mean inner "
                "cross-validation score (ratio: score %s).",
                self.n_synthetic_,
                ", ".join(f"{r:g}: {s:.4f}" for r, s in self.inner_scores_.items()),
            )
        else:
            self.n_synthetic_ = float(self.n_synthetic)
        self.estimator_, self.augmenter_ = self._fit_augmented(
            data, self.n_synthetic_, params, rng
        )
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        if hasattr(self.estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.estimator_.feature_names_in_
        return self

    def _checked_candidates(self) -> list[float]:
        """The candidate ratios of ``"auto"``, sorted, zero included."""
        candidates = np.asarray(self.candidates, dtype=float).ravel()
        if len(candidates) == 0 or not np.all(np.isfinite(candidates) & (candidates >= 0)):
            raise ValueError(
                f"candidates must be non-negative ratios, got {self.candidates!r}."
            )
        return sorted({float(r) for r in candidates} | {0.0})

    def _fit_augmented(
        self, data: _Training, ratio: float, params: dict, rng, augmenter=None
    ):
        """Fit a clone of the estimator on ``data`` plus ``ratio`` times synthetic rows.

        ``augmenter`` may be an augmenter already fitted on ``data`` (inner CV shares one
        across candidate ratios); otherwise one is fitted when ``ratio > 0``.
        """
        classifier = is_classifier(self.estimator)
        per_class = rows_to_enlarge(data.y, ratio) if classifier else None
        n_rows = sum(per_class.values()) if classifier else round(ratio * len(data.y))
        X, y, y_new = data.X, data.y, None
        if n_rows:
            if augmenter is None:
                augmenter = fit_augmenter(
                    self.augmenter,
                    data.X,
                    data.y,
                    target_type="classes" if classifier else "continuous",
                    random_state=rng,
                )
            X_new, y_new = draw(augmenter, per_class, n_rows, rng)
            X, y = concat_rows(data.X, X_new), concat_rows(data.y, y_new)
        weights = augmented_weights(
            data.weights, data.y, y_new, self.synthetic_weight, per_class=classifier
        )
        if weights is not None:
            params = {**params, weight_parameter(self.estimator): weights}
        return clone(self.estimator).fit(X, y, **params), augmenter

    def _inner_scores(
        self, data: _Training, candidates: list[float], params: dict, rng
    ) -> dict[float, float]:
        """Mean inner-CV score of every candidate ratio (one augmenter fit per split)."""
        cv = check_cv(self.cv, data.y, classifier=is_classifier(self.estimator))
        scorer = check_scoring(self.estimator, scoring=self.scoring)
        scores: dict[float, list[float]] = {r: [] for r in candidates}
        for train, test in cv.split(data.X, data.y):
            fold, held_out = data.rows(train), data.rows(test)
            augmenter = None
            for ratio in candidates:
                estimator, augmenter = self._fit_augmented(
                    fold, ratio, params, rng, augmenter
                )
                scores[ratio].append(held_out.score(scorer, estimator))
        return {r: float(np.mean(s)) for r, s in scores.items()}
