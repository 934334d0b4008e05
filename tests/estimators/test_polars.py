"""polars in, polars out: the estimators keep names and dtypes; pandas stays pandas."""

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from helpers import FAST, make_mixed_frame
from polars_helpers import make_polars_frame

from vae_augment import VAEAugmenter, VAEEncoder, VAEImputer, load

pl = pytest.importorskip("polars")
from polars.testing import assert_frame_equal, assert_series_equal  # noqa: E402

QUICK = {**FAST, "max_epochs": 10}


@pytest.fixture(scope="module")
def table():
    return make_polars_frame()


@pytest.fixture(scope="module")
def polars_fit(table):
    X, y = table
    return VAEAugmenter(**QUICK).fit(X, y)


@pytest.fixture(scope="module")
def pandas_fit():
    X, y = make_mixed_frame(200)
    return VAEAugmenter(**QUICK).fit(X, y), X


def test_fit_records_the_polars_column_names(polars_fit, table):
    X, _ = table
    assert polars_fit.feature_names_in_.tolist() == X.columns
    assert polars_fit.n_features_in_ == X.width
    assert polars_fit.classes_.tolist() == ["bad", "good"]


def test_sample_gives_polars_rows_and_labels_of_the_training_schema(polars_fit, table):
    X, y = table
    X_new, y_new = polars_fit.sample(100, random_state=0)
    assert isinstance(X_new, pl.DataFrame)
    assert X_new.schema == X.schema  # Date, Enum, Datetime with its time zone, UInt8...
    assert X_new["age"].null_count() > 0  # learned nulls come back as nulls
    assert set(X_new["plan"].drop_nulls()) <= {"pro", "basic"}
    assert isinstance(y_new, pl.Series)
    assert (y_new.name, y_new.dtype) == (y.name, y.dtype)
    X_again, _ = polars_fit.sample(100, random_state=0)
    assert_frame_equal(X_again, X_new)


def test_transform_gives_the_container_it_is_given(polars_fit, table):
    X, _ = table
    reconstructed = polars_fit.transform(X)
    assert isinstance(reconstructed, pl.DataFrame)
    assert reconstructed.schema == X.schema
    assert reconstructed.height == X.height
    assert reconstructed.null_count().sum_horizontal().item() == 0
    as_pandas = polars_fit.transform(X.to_pandas())
    assert isinstance(as_pandas, pd.DataFrame)
    assert_frame_equal(pl.from_pandas(as_pandas).cast(X.schema), reconstructed)


def test_scores_are_those_of_the_same_rows_in_pandas(polars_fit, table):
    X, _ = table
    scores = polars_fit.score_samples(X)
    assert scores.shape == (X.height,)
    np.testing.assert_array_equal(scores, polars_fit.score_samples(X.to_pandas()))
    np.testing.assert_array_equal(polars_fit.encode(X), polars_fit.encode(X.to_pandas()))


def test_given_cells_may_be_a_polars_frame(polars_fit):
    given = pl.DataFrame({"city": ["Lima", None, "Oslo"]})
    X_new, _ = polars_fit.sample(given=given, random_state=0)
    assert X_new["city"].to_list()[::2] == ["Lima", "Oslo"]


def test_a_pandas_fit_transforms_polars_into_polars(pandas_fit):
    model, X = pandas_fit
    reconstructed = model.transform(pl.from_pandas(X))
    assert isinstance(reconstructed, pl.DataFrame)
    assert reconstructed.columns == list(X.columns)
    assert reconstructed.schema["age"] == pl.Int64
    assert reconstructed.schema["plan"] == pl.Categorical
    assert_frame_equal(reconstructed, pl.from_pandas(model.transform(X)))


@pytest.mark.parametrize("source", ["pandas", "numpy"])
def test_set_output_polars_gives_real_names_and_dtypes(source):
    if source == "pandas":
        X, _ = make_mixed_frame(150)
        names = list(X.columns)
    else:
        X = np.column_stack(
            [np.random.default_rng(0).normal(size=150), np.arange(150) % 3]
        ).astype(object)  # an array of mixed columns comes as objects
        X[:, 1] = np.where(X[:, 1] == 0, "a", "b")
        names = ["x0", "x1"]
    model = VAEAugmenter(**QUICK).set_output(transform="polars")
    for reconstructed in (model.fit_transform(X), model.transform(X)):
        assert isinstance(reconstructed, pl.DataFrame)
        assert reconstructed.columns == names
        assert pl.Object not in reconstructed.dtypes
    if source == "numpy":
        assert reconstructed.dtypes == [pl.Float64, pl.String]
    else:
        assert reconstructed.schema["joined"] == pl.Datetime("us")
        assert reconstructed.schema["member"] == pl.Boolean


def test_set_output_pandas_from_polars_gives_pandas(polars_fit, table):
    X, _ = table
    model = copy.deepcopy(polars_fit).set_output(transform="pandas")
    reconstructed = model.transform(X)
    assert isinstance(reconstructed, pd.DataFrame)
    assert str(reconstructed["age"].dtype) == "Int64"


def test_set_output_polars_from_pandas_keeps_a_polars_fits_dates(polars_fit, table):
    X, _ = table
    model = copy.deepcopy(polars_fit).set_output(transform="polars")
    assert model.transform(X.to_pandas()).schema == X.schema


@pytest.mark.parametrize("store", ["model file", "pickle"])
def test_a_saved_polars_model_gives_the_same_polars_rows(polars_fit, tmp_path, store):
    if store == "pickle":
        loaded = pickle.loads(pickle.dumps(polars_fit))
    else:
        polars_fit.save(tmp_path / "model.vae")
        loaded = load(tmp_path / "model.vae")
    X_new, y_new = loaded.sample(30, random_state=1)
    X_expected, y_expected = polars_fit.sample(30, random_state=1)
    assert_frame_equal(X_new, X_expected)
    assert_series_equal(y_new, y_expected)


def test_imputer_fills_polars_nulls_and_keeps_observed_cells(table):
    X, _ = table
    imputer = VAEImputer(VAEAugmenter(**QUICK), random_state=0).fit(X)
    assert imputer.feature_names_in_.tolist() == X.columns
    filled = imputer.transform(X)
    assert isinstance(filled, pl.DataFrame)
    assert filled.schema == X.schema
    assert filled.null_count().sum_horizontal().item() == 0
    observed = X["age"].is_not_null()
    assert_series_equal(filled["age"].filter(observed), X["age"].filter(observed))
    from_pandas = imputer.set_output(transform="polars").transform(X.to_pandas())
    assert isinstance(from_pandas, pl.DataFrame) and from_pandas.columns == X.columns


def test_encoder_takes_polars_and_decodes_to_polars(table):
    X, _ = table
    encoder = VAEEncoder(VAEAugmenter(**{**QUICK, "latent_dim": 2}), random_state=0)
    codes = encoder.fit_transform(X)
    assert encoder.feature_names_in_.tolist() == X.columns
    assert codes.shape == (X.height, 2)
    decoded = encoder.inverse_transform(codes)
    assert isinstance(decoded, pl.DataFrame) and decoded.schema == X.schema
    assert encoder.set_output(transform="polars").transform(X).columns == [
        "vaeencoder0",
        "vaeencoder1",
    ]
