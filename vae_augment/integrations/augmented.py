"""``AugmentedEstimator``: fit a scikit-learn estimator on real plus VAE-generated rows."""

from __future__ import annotations

import logging
import numbers
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, column_or_1d, has_fit_parameter

from ..estimators.augmenter import VAEAugmenter
from ..table.frames import concat_rows
from ..table.polars_frames import is_polars
from .strategy import rows_to_enlarge
from .synthetic import draw, fit_augmenter

logger = logging.getLogger(__name__)


def _estimator_has(method: str):
    """True when the fitted (or, before fit, the given) estimator has ``method``."""

    def check(self) -> bool:
        estimator = getattr(self, "estimator_", self.estimator)
        return hasattr(estimator, method)

    return check


def _rows(data, index: np.ndarray):
    """Rows ``index`` of an array, pandas or polars DataFrame, or Series (positional)."""
    if hasattr(data, "iloc"):
        return data.iloc[index]
    return data[index] if is_polars(data) else np.asarray(data)[index]


class AugmentedEstimator(MetaEstimatorMixin, BaseEstimator):
    """Fit an estimator on its training data plus synthetic rows from a VAE.

    ``fit(X, y)`` fits a clone of ``augmenter`` on ``X, y`` -- conditional on the labels
    for a classifier, jointly with the target for a regressor --, adds synthetic rows,
    and fits a clone of ``estimator`` on real plus synthetic rows. Prediction delegates
    to that estimator. Because generation happens inside ``fit``, the augmenter only
    ever sees the data ``fit`` is given: under ``cross_val_score`` or ``GridSearchCV``
    that is the training folds, never the validation fold.

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
        ``sample_weight`` of synthetic rows relative to real ones (real rows weigh 1);
        needs an estimator whose ``fit`` takes ``sample_weight`` when not 1.
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

    def fit(self, X, y) -> AugmentedEstimator:
        """Fit the augmenter on ``X, y`` and the estimator on real plus synthetic rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows (any table ``VAEAugmenter`` accepts and the estimator can use).
        y : array-like or Series of shape (n_samples,)
            Class labels (classifier) or target (regressor).

        Returns
        -------
        self : AugmentedEstimator
            The fitted meta-estimator.
        """
        self._validate_params()
        if not hasattr(y, "iloc"):
            y = column_or_1d(y, warn=True)
        if self.synthetic_weight != 1.0 and not has_fit_parameter(
            self.estimator, "sample_weight"
        ):
            raise ValueError(
                f"synthetic_weight={self.synthetic_weight} needs an estimator whose fit "
                f"takes sample_weight; {type(self.estimator).__name__} does not."
            )
        candidates = np.asarray(self.candidates, dtype=float).ravel()
        if len(candidates) == 0 or not np.all(np.isfinite(candidates) & (candidates >= 0)):
            raise ValueError(
                f"candidates must be non-negative ratios, got {self.candidates!r}."
            )
        rng = check_random_state(self.random_state)
        self.inner_scores_ = None
        if self.n_synthetic == "auto":
            self.inner_scores_ = self._inner_scores(X, y, rng)
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
        self.estimator_, self.augmenter_ = self._fit_augmented(X, y, self.n_synthetic_, rng)
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        if hasattr(self.estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.estimator_.feature_names_in_
        return self

    def _fit_augmented(self, X, y, ratio: float, rng, augmenter=None):
        """Fit a clone of the estimator on ``X, y`` plus ``ratio`` times synthetic rows.

        ``augmenter`` may be an augmenter already fitted on ``X, y`` (inner CV shares one
        across candidate ratios); otherwise one is fitted when ``ratio > 0``.
        """
        estimator = clone(self.estimator)
        classifier = is_classifier(self.estimator)
        per_class = rows_to_enlarge(y, ratio) if classifier else None
        n_rows = sum(per_class.values()) if classifier else round(ratio * len(y))
        if n_rows == 0:
            return estimator.fit(X, y), augmenter
        if augmenter is None:
            augmenter = fit_augmenter(
                self.augmenter,
                X,
                y,
                target_type="classes" if classifier else "continuous",
                random_state=rng,
            )
        X_new, y_new = draw(augmenter, per_class, n_rows, rng)
        fit_params = {}
        if self.synthetic_weight != 1.0:
            fit_params["sample_weight"] = np.r_[
                np.ones(len(y)), np.full(len(y_new), self.synthetic_weight)
            ]
        estimator.fit(concat_rows(X, X_new), concat_rows(y, y_new), **fit_params)
        return estimator, augmenter

    def _inner_scores(self, X, y, rng) -> dict[float, float]:
        """Mean inner-CV score of every candidate ratio (one augmenter fit per split)."""
        candidates = sorted({float(r) for r in self.candidates} | {0.0})
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        scorer = check_scoring(self.estimator, scoring=self.scoring)
        scores: dict[float, list[float]] = {r: [] for r in candidates}
        for train, test in cv.split(X, y):
            X_train, y_train = _rows(X, train), _rows(y, train)
            augmenter = None
            for ratio in candidates:
                estimator, augmenter = self._fit_augmented(
                    X_train, y_train, ratio, rng, augmenter
                )
                scores[ratio].append(scorer(estimator, _rows(X, test), _rows(y, test)))
        return {r: float(np.mean(s)) for r, s in scores.items()}

    # ---------------------------------------------------------------- delegation
    @property
    def classes_(self) -> np.ndarray:
        """Class labels of the fitted classifier."""
        check_is_fitted(self)
        return self.estimator_.classes_

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predict with the estimator fitted on real plus synthetic rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predictions of ``estimator_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities of ``estimator_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities from the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log class probabilities of ``estimator_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted estimator.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to predict, as the estimator takes them (never augmented).

        Returns
        -------
        scores : ndarray
            Decision function of ``estimator_``.
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(X)

    @available_if(_estimator_has("score"))
    def score(self, X, y, sample_weight=None) -> float:
        """The fitted estimator's ``score`` on ``X, y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Test rows.
        y : array-like of shape (n_samples,)
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        float
            ``estimator_.score(X, y)``.
        """
        check_is_fitted(self)
        return self.estimator_.score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.string = inner.input_tags.string
        return tags
