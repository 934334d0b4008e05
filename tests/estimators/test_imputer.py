"""VAEImputer: only missing cells change, in their dtypes, in scikit-learn's tools."""

import numpy as np
import pandas as pd
import pytest
from helpers import FAST, make_mixed_frame
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from vae_augment import VAEAugmenter, VAEImputer

QUICK = VAEAugmenter(**{**FAST, "max_epochs": 20})


@pytest.fixture(scope="module")
def table():
    X, y = make_mixed_frame(300)
    return X, y


@pytest.mark.parametrize("sample_posterior", [False, True])
def test_fills_only_missing_cells_in_their_dtypes(table, sample_posterior):
    X, _ = table
    imputer = VAEImputer(QUICK, sample_posterior=sample_posterior, random_state=0)
    filled = imputer.fit(X).transform(X)
    assert filled.index.equals(X.index) and list(filled.columns) == list(X.columns)
    pd.testing.assert_series_equal(filled.dtypes, X.dtypes)
    assert not filled.isna().any().any()
    for column in X.columns:
        observed = X[column].notna()
        pd.testing.assert_series_equal(filled[column][observed], X[column][observed])
    levels = set(X["plan"].dropna())
    assert set(filled.loc[X["plan"].isna(), "plan"]) <= levels


def test_most_probable_fill_is_deterministic_and_draws_vary(table):
    X, _ = table
    imputer = VAEImputer(QUICK, random_state=0).fit(X)
    pd.testing.assert_frame_equal(imputer.transform(X), imputer.transform(X))
    drawn = VAEImputer(QUICK, sample_posterior=True, random_state=0).fit(X)
    first = drawn.transform(X)
    pd.testing.assert_frame_equal(drawn.transform(X), first)  # same seed, same draws
    drawn.set_params(random_state=1)
    assert not drawn.transform(X)["income"].equals(first["income"])


def test_arrays_come_back_as_arrays():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    X[rng.random(X.shape) < 0.2] = np.nan
    filled = VAEImputer(QUICK, random_state=0).fit(X).transform(X)
    assert isinstance(filled, np.ndarray) and not np.isnan(filled).any()
    np.testing.assert_array_equal(filled[~np.isnan(X)], X[~np.isnan(X)])


def test_in_a_pipeline_column_transformer_and_grid_search(table):
    X, y = table
    numbers = ["income", "visits"]
    step = ColumnTransformer(
        [("numbers", VAEImputer(QUICK, random_state=0), numbers)], remainder="drop"
    ).set_output(transform="pandas")
    assert not step.fit_transform(X).isna().any().any()
    pipe = make_pipeline(
        VAEImputer(QUICK, random_state=0).set_output(transform="pandas"),
        ColumnTransformer(
            [("levels", OneHotEncoder(handle_unknown="ignore"), ["plan", "city"])],
            remainder="drop",
        ),
        LogisticRegression(),
    )
    search = GridSearchCV(pipe, {"vaeimputer__sample_posterior": [False, True]}, cv=2)
    search.fit(X, y)
    assert search.best_score_ > 0.5


def test_a_column_arriving_all_missing_is_filled_in_its_training_dtype(table):
    X, _ = table
    imputer = VAEImputer(QUICK, random_state=0).fit(X)
    blank = X.iloc[:6].copy()
    blank["plan"] = np.nan  # a CSV batch with the column empty reads as float64
    blank["member"] = np.nan
    filled = imputer.transform(blank)
    assert filled["plan"].dtype == X["plan"].dtype and filled["plan"].notna().all()
    assert set(filled["member"]) <= {True, False}
