"""``VAEResampler``: VAE over-sampling with imbalanced-learn's ``fit_resample`` API."""

from __future__ import annotations

import logging
import numbers
from collections.abc import Callable, Mapping
from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import validate_data

from ..estimators.augmenter import VAEAugmenter
from ..estimators.tags import MixedTableTags
from ..table.frames import as_frame, concat_rows
from ..table.polars_frames import is_polars
from ..table.target import CLASSES, CONTINUOUS, Target, validate_target
from .sampler_labels import split_labels
from .sampler_tags import sampler_tags
from .strategy import class_counts, rows_to_enlarge, rows_to_generate
from .synthetic import draw, fit_augmenter

logger = logging.getLogger(__name__)


def _copied_rows(data):
    """``data`` as ``fit_resample`` returns rows: a new object, pandas with a fresh
    index."""
    if isinstance(data, (pd.DataFrame, pd.Series)):
        return data.reset_index(drop=True)
    if isinstance(data, list):
        return list(data)
    if is_polars(data):
        return data.clone()
    return np.array(data, copy=True)


def _whole_labels(labels) -> bool:
    """Whether ``labels`` are what scikit-learn calls binary or multiclass labels (any
    input it cannot read is left to :func:`validate_target`'s errors)."""
    try:
        return type_of_target(np.asarray(labels)) in ("binary", "multiclass")
    except (ValueError, TypeError):
        return False


class VAEResampler(MixedTableTags, OneToOneFeatureMixin, BaseEstimator):
    """Over-sample a training set with VAE-generated rows (imbalanced-learn compatible).

    ``fit_resample(X, y)`` returns the real rows followed by synthetic ones, in the
    container and dtypes of the input. Use it as a step of an
    :class:`imblearn.pipeline.Pipeline`, which applies it only when fitting, so synthetic
    rows never reach validation folds or predictions.

    It keeps imbalanced-learn's contract for over-samplers (as its ``BaseOverSampler``
    does) without needing imbalanced-learn: its tags declare a sampler that takes
    DataFrames, missing values, categorical and text columns; ``X`` may be an array, a
    list of rows or a DataFrame, and ``y`` a list, an array, a column vector, a Series,
    a one-column DataFrame or a one-vs-all indicator matrix, each given back in the
    same form.

    Parameters
    ----------
    augmenter : VAEAugmenter or None, default=None
        The generator's settings; cloned for every ``fit_resample`` (never changed).
        ``None`` means ``VAEAugmenter()``.
    sampling_strategy : str, float, dict or callable, default="auto"
        Which classes to over-sample and how far, with imbalanced-learn's meanings and
        counts: ``"auto"``/``"not majority"``, ``"minority"``, ``"not minority"``,
        ``"all"`` (up to the majority's size), a float in (0, 1] (binary targets: the
        minority/majority ratio after resampling), a dict ``{class: target_count}``, or
        a callable ``f(y) -> dict``.
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
        Synthetic rows per class, sorted by class: for ``sampling_strategy``, every
        class it targets (0 for one already large enough), as imbalanced-learn's
        ``sampling_strategy_``; with ``n_synthetic``, the classes that get rows
        (``{None: n}`` for a regression target).
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of ``X`` (only when they are all strings).

    See Also
    --------
    AugmentedEstimator : Synthetic rows inside a plain scikit-learn estimator's fit.

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
    >>> sampler.sampling_strategy_
    {1.0: 80}
    """

    _sampling_type = "over-sampling"
    _keeps_float32 = False  # not a transformer: it has no transformer tags to set
    _parameter_constraints: ClassVar[dict] = {
        "augmenter": [VAEAugmenter, None],
        "sampling_strategy": [
            Interval(numbers.Real, 0, 1, closed="right"),
            StrOptions({"auto", "minority", "not minority", "not majority", "all"}),
            Mapping,
            callable,
        ],
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
        X : array-like, list of rows or DataFrame of shape (n_samples, n_features)
            Training rows; missing values, categorical and text columns are allowed.
        y : array-like, list, Series or one-column DataFrame of shape (n_samples,)
            Class labels (also as a one-vs-all indicator matrix) or, with
            ``n_synthetic``, a continuous target.

        Returns
        -------
        X_resampled : ndarray, list or DataFrame
            Real rows followed by synthetic ones, in the form of ``X`` (a fresh index
            for DataFrames).
        y_resampled : ndarray, list, Series or DataFrame
            Their targets, in the form of ``y`` (a column vector comes back 1-D).
        """
        self._validate_params()
        if y is None:
            raise ValueError(
                "VAEResampler requires y to be passed, but the target y is None: pass "
                "class labels or, with n_synthetic, a target."
            )
        # Validated here too, so that bad input fails even when no row is generated.
        frame, _ = as_frame(X)
        validate_data(self, frame, reset=True, skip_check_array=True)
        labels, give_back = split_labels(y)
        # The augmenter's target_type decides in enlarge mode (see target_type="auto");
        # sampling_strategy needs classes, and takes whole numbers for labels as
        # imbalanced-learn's samplers do, however many there are.
        own_type = "auto" if self.augmenter is None else self.augmenter.target_type
        if self.n_synthetic is None and own_type == "auto" and _whole_labels(labels):
            own_type = CLASSES
        target, values = validate_target(labels, len(frame), own_type)
        self.sampling_strategy_ = self._rows_per_class(target, values)
        self.augmenter_ = None
        wanted = {label: n for label, n in self.sampling_strategy_.items() if n > 0}
        if not wanted:  # the same form as when rows are added: new objects, fresh index
            return _copied_rows(X), give_back(_copied_rows(labels))
        rng = check_random_state(self.random_state)
        self.augmenter_ = fit_augmenter(
            self.augmenter, X, labels, target_type=target.kind, random_state=rng
        )
        per_class = None if target.kind == CONTINUOUS else wanted
        logger.info(
            "Generating %d synthetic rows (sampling_strategy_=%s) for %s.",
            sum(wanted.values()),
            self.sampling_strategy_,
            f"n_synthetic={self.n_synthetic} per real row"
            if self.n_synthetic is not None
            else f"sampling_strategy={self.sampling_strategy!r} and the class counts "
            f"{class_counts(values).to_dict()}",
        )
        X_new, y_new = draw(self.augmenter_, per_class, sum(wanted.values()), rng)
        X_res = concat_rows(X, X_new)
        return (
            X_res.tolist() if isinstance(X, list) else X_res,
            give_back(concat_rows(labels, y_new)),
        )

    def _rows_per_class(self, target: Target, values) -> dict:
        """Synthetic rows per class (``{None: n}`` for a continuous target)."""
        if self.n_synthetic is None:
            if target.kind == CONTINUOUS:
                raise ValueError(
                    "sampling_strategy is for class labels; y is continuous. Set "
                    "n_synthetic (synthetic rows per real row) to enlarge a regression "
                    "training set."
                )
            return rows_to_generate(values, self.sampling_strategy)
        if target.kind == CONTINUOUS:
            return {None: round(self.n_synthetic * len(values))}
        return rows_to_enlarge(values, self.n_synthetic)

    def fit(self, X, y):
        """Fit the generator as :meth:`fit_resample` does, discarding the rows.

        Parameters
        ----------
        X : array-like, list of rows or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like, list, Series or one-column DataFrame of shape (n_samples,)
            Class labels (or, with ``n_synthetic``, a continuous target).

        Returns
        -------
        self : VAEResampler
            The fitted sampler.
        """
        self.fit_resample(X, y)
        return self

    def __sklearn_tags__(self):
        return sampler_tags(super().__sklearn_tags__())
