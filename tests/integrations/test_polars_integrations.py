"""polars through the integrations: fit_resample and AugmentedEstimator keep polars."""

import numpy as np
import pytest
from helpers import FAST
from polars_helpers import make_polars_frame
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from vae_augment import AugmentedEstimator, VAEAugmenter, VAEResampler, dask_sample

pl = pytest.importorskip("polars")
from polars.testing import assert_frame_equal, assert_series_equal  # noqa: E402

AUGMENTER = VAEAugmenter(**{**FAST, "max_epochs": 10})


@pytest.fixture(scope="module")
def table():
    return make_polars_frame(150)


def test_fit_resample_gives_polars_rows_of_the_input_schema(table):
    X, y = table
    X_res, y_res = VAEResampler(AUGMENTER, random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == X.schema
    assert (y_res.name, y_res.dtype) == (y.name, y.dtype)
    counts = dict(y_res.value_counts().iter_rows())
    assert counts["bad"] == counts["good"] == (y == "good").sum()
    assert_frame_equal(X_res.head(X.height), X)  # the real rows first, unchanged
    assert_series_equal(y_res.head(X.height), y)


def test_augmented_estimator_fits_polars_with_named_columns(table):
    X, y = table
    numeric = ["income", "visits", "rooms", "ratio"]
    X = X.with_columns(pl.col("income").fill_null(0.0))
    model = make_pipeline(
        ColumnTransformer(
            [("levels", OneHotEncoder(handle_unknown="ignore"), ["city", "colour"])],
            remainder="drop",
        ),
        LogisticRegression(max_iter=500),
    )
    augmented = AugmentedEstimator(
        model, AUGMENTER, n_synthetic="auto", candidates=(1.0,), cv=2, random_state=0
    )
    # Inner cross-validation takes polars rows by position, names kept for the columns.
    augmented.fit(X.select(*numeric, "city", "colour"), y)
    assert augmented.feature_names_in_.tolist() == [*numeric, "city", "colour"]
    assert set(augmented.inner_scores_) == {0.0, 1.0}
    assert set(np.unique(augmented.predict(X))) <= {"bad", "good"}


def test_dask_refuses_a_polars_fit_by_name(table):
    pytest.importorskip("dask")
    X, _ = table
    augmenter = VAEAugmenter(**{**FAST, "max_epochs": 2}).fit(X)
    with pytest.raises(ValueError, match=r"fitted on a polars DataFrame.*pandas"):
        dask_sample(augmenter, 10, npartitions=2)
