"""VAEEncoder: latent codes as a pipeline step, decoded back to rows."""

import numpy as np
import pandas as pd
from helpers import FAST, make_mixed_frame
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from vae_augment import VAEAugmenter, VAEEncoder

QUICK = VAEAugmenter(**{**FAST, "max_epochs": 30, "latent_dim": 3})


def test_codes_are_a_pipeline_step_with_feature_names():
    X, y = make_mixed_frame(300)
    encoder = VAEEncoder(QUICK, random_state=0).set_output(transform="pandas")
    codes = encoder.fit_transform(X)
    assert list(codes.columns) == ["vaeencoder0", "vaeencoder1", "vaeencoder2"]
    assert codes.index.equals(X.index) and np.isfinite(codes.to_numpy()).all()
    pipe = make_pipeline(VAEEncoder(QUICK, random_state=0), LogisticRegression())
    assert cross_val_score(pipe, X, y, cv=3).mean() > 0.6  # the codes carry the class


def test_inverse_transform_decodes_codes_to_rows():
    X, _ = make_mixed_frame(200)
    encoder = VAEEncoder(QUICK, random_state=0).fit(X)
    rows = encoder.inverse_transform(encoder.transform(X))
    pd.testing.assert_series_equal(rows.dtypes, X.dtypes)
    reconstructed = encoder.augmenter_.transform(X)
    pd.testing.assert_frame_equal(rows.set_axis(X.index), reconstructed)
