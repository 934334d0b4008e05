"""``VAEEncoder``: the VAE's latent codes as a pipeline step, like PCA."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted

from .augmenter import VAEAugmenter
from .cloning import copy_feature_names, fit_clone
from .tags import MixedTableTags


class VAEEncoder(
    MixedTableTags, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Compress a mixed-type table to the VAE's latent codes (dimension reduction).

    ``transform`` gives each row's posterior mean, ``latent_dim`` numbers (missing
    cells allowed); ``inverse_transform`` decodes codes back to rows with the training
    columns and dtypes. Use it where you would use :class:`~sklearn.decomposition.PCA`,
    on tables PCA cannot take (categories, text, datetimes, missing values).

    Parameters
    ----------
    augmenter : VAEAugmenter or None, default=None
        The model's settings (``latent_dim`` is the number of output features); cloned
        in ``fit``. ``None`` means ``VAEAugmenter()``.
    random_state : int, RandomState instance or None, default=None
        Seeds the model's fit.

    Attributes
    ----------
    augmenter_ : VAEAugmenter
        The fitted model (without a target: the codes are of ``X`` alone).
    n_features_in_ : int
        Number of columns seen in fit.
    feature_names_in_ : ndarray of str
        Column names seen in fit (only when they are all strings).

    Examples
    --------
    >>> import numpy as np
    >>> from vae_augment import VAEAugmenter, VAEEncoder
    >>> X = np.random.default_rng(0).normal(size=(100, 5))
    >>> encoder = VAEEncoder(VAEAugmenter(latent_dim=2, max_epochs=5), random_state=0)
    >>> encoder.fit_transform(X).shape
    (100, 2)
    >>> encoder.get_feature_names_out().tolist()
    ['vaeencoder0', 'vaeencoder1']
    """

    _parameter_constraints: ClassVar[dict] = {
        "augmenter": [VAEAugmenter, None],
        "random_state": ["random_state"],
    }
    _keeps_float32 = False  # codes are float64 whatever the input

    def __init__(self, augmenter: VAEAugmenter | None = None, *, random_state=None):
        self.augmenter = augmenter
        self.random_state = random_state

    def fit(self, X, y=None) -> VAEEncoder:
        """Fit the VAE on ``X`` (``y`` is ignored: the codes describe ``X``).

        Parameters
        ----------
        X : array-like, DataFrame or pyarrow Table of shape (n_samples, n_features)
            Training rows; missing values are allowed.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : VAEEncoder
            The fitted encoder.
        """
        self._validate_params()
        self.augmenter_ = fit_clone(self.augmenter, X, random_state=self.random_state)
        copy_feature_names(self, self.augmenter_)
        self._n_features_out = self.augmenter_.model_.latent_dim
        return self

    def transform(self, X) -> np.ndarray:
        """Each row's latent code (the posterior mean; deterministic).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows with the columns seen in fit.

        Returns
        -------
        ndarray of shape (n_samples, latent_dim)
        """
        check_is_fitted(self)
        return self.augmenter_.encode(X)

    def inverse_transform(self, X):
        """Rows for latent codes: each cell's point value under the decoder.

        As in :meth:`VAEAugmenter.transform`: a numeric cell's mean in the column's
        units, a categorical cell's most probable level.

        Parameters
        ----------
        X : array-like of shape (n_samples, latent_dim)
            Latent codes, e.g. from :meth:`transform`.

        Returns
        -------
        ndarray or DataFrame of shape (n_samples, n_features_in_)
            Rows in the container, columns and dtypes of the training data.
        """
        check_is_fitted(self)
        codes = np.asarray(X, dtype=np.float64)
        model = self.augmenter_.model_
        rows = model.decode_codes(codes)
        if isinstance(X, pd.DataFrame):  # codes in a DataFrame keep their index
            rows = rows.set_axis(X.index)
        return model.table.container.wrap(rows)
