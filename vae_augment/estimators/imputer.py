"""``VAEImputer``: a VAE as a scikit-learn imputer that fills only the missing cells."""

from __future__ import annotations

from typing import ClassVar

from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..fitting.imputation import impute
from ..table.frames import as_frame
from ..utils.seeds import check_seed
from .augmenter import VAEAugmenter
from .cloning import copy_feature_names, fit_clone
from .output import transform_container
from .tags import MixedTableTags


class VAEImputer(MixedTableTags, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Fill in missing cells of a mixed-type table with a variational autoencoder.

    Unlike :meth:`VAEAugmenter.transform`, which reconstructs every cell, ``transform``
    here changes only the missing ones: observed cells come back bit-identical, and no
    cell is left missing. Numbers, integers, categories, strings, booleans and datetimes
    are filled in their own dtypes.

    Parameters
    ----------
    augmenter : VAEAugmenter or None, default=None
        The model's settings; cloned in ``fit`` (never changed). ``None`` means
        ``VAEAugmenter()`` (``input_dropout=0.2`` imputed worse on the benchmark tables,
        see ``docs/benchmarks.md``). Tune it as ``augmenter__<param>`` in a grid
        search.
    sample_posterior : bool, default=False
        ``False``: the point fill (the decoder's mean in the column's units, or most
        probable level, at the posterior mean given the row's observed cells),
        deterministic.
        ``True``: a draw from the model's distribution of the missing cells given the
        observed ones; different ``random_state`` values give different draws, for
        multiple imputation.
    random_state : int, RandomState instance or None, default=None
        Seeds the model's fit and, with ``sample_posterior=True``, the draws.

    Attributes
    ----------
    augmenter_ : VAEAugmenter
        The fitted model.
    n_features_in_ : int
        Number of columns seen in fit.
    feature_names_in_ : ndarray of str
        Column names seen in fit (only when they are all strings).

    See Also
    --------
    sklearn.impute.IterativeImputer : a numeric imputer with the same API.
    VAEAugmenter.transform : reconstruction of every cell (denoising).

    Examples
    --------
    >>> import numpy as np
    >>> from vae_augment import VAEAugmenter, VAEImputer
    >>> X = np.random.default_rng(0).normal(size=(100, 3))
    >>> X[::10, 1] = np.nan
    >>> imputer = VAEImputer(VAEAugmenter(max_epochs=5), random_state=0).fit(X)
    >>> filled = imputer.transform(X)
    >>> bool(np.isnan(filled).any()), bool((filled[1::10] == X[1::10]).all())
    (False, True)
    """

    _parameter_constraints: ClassVar[dict] = {
        "augmenter": [VAEAugmenter, None],
        "sample_posterior": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        augmenter: VAEAugmenter | None = None,
        *,
        sample_posterior: bool = False,
        random_state=None,
    ) -> None:
        self.augmenter = augmenter
        self.sample_posterior = sample_posterior
        self.random_state = random_state

    def fit(self, X, y=None) -> VAEImputer:
        """Learn the table (without a target) on the rows of ``X``.

        Parameters
        ----------
        X : array-like, DataFrame or pyarrow Table of shape (n_samples, n_features)
            Training rows (a pandas or polars DataFrame, an array); missing values are
            allowed (and learned from).
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : VAEImputer
            The fitted imputer.
        """
        self._validate_params()
        self.augmenter_ = fit_clone(self.augmenter, X, random_state=self.random_state)
        copy_feature_names(self, self.augmenter_)
        return self

    def transform(self, X):
        """Fill in the missing cells of ``X``; observed cells are left as they are.

        Parameters
        ----------
        X : array-like, DataFrame or pyarrow Table of shape (n_samples, n_features)
            Rows with the columns seen in fit.

        Returns
        -------
        X_filled : ndarray or DataFrame of shape (n_samples, n_features)
            ``X`` without missing cells, in its container (array, pandas or polars
            DataFrame, or the one ``set_output`` asks for), index and dtypes.
        """
        check_is_fitted(self)
        frame, container = as_frame(X)
        validate_data(self, frame, reset=False, skip_check_array=True)
        rng = check_seed(self.random_state)
        model = self.augmenter_.model_
        filled = impute(model, frame, sample_posterior=self.sample_posterior, rng=rng)
        return transform_container(self, container, model.table.container).wrap(filled)
