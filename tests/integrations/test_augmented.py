"""AugmentedEstimator: augmentation inside plain scikit-learn workflows, leak-free."""

import pickle
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from helpers import FAST
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from vae_augment import AugmentedEstimator, VAEAugmenter

AUGMENTER = VAEAugmenter(**{**FAST, "max_epochs": 15})


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X.iloc[:, :6], y


def classifier():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))


def test_fit_adds_synthetic_rows_and_delegates(cancer):
    X, y = cancer
    model = AugmentedEstimator(classifier(), AUGMENTER, n_synthetic=1.0, random_state=0)
    model.fit(X, y)
    assert model.n_synthetic_ == 1.0 and model.augmenter_.classes_.tolist() == [0, 1]
    # The estimator saw twice the rows: its scaler's sample count tells.
    assert model.estimator_[0].n_samples_seen_ == 2 * len(X)
    assert model.classes_.tolist() == [0, 1]
    assert model.predict_proba(X).shape == (len(X), 2)
    assert model.decision_function(X).shape == (len(X),)
    assert model.score(X, y) > 0.8
    assert list(model.feature_names_in_) == list(X.columns)


def test_classifier_or_regressor_follows_the_estimator():
    assert is_classifier(AugmentedEstimator(LogisticRegression()))
    assert is_regressor(AugmentedEstimator(Ridge()))
    assert not hasattr(AugmentedEstimator(Ridge()), "predict_proba")


def test_regressor_generates_targets_jointly():
    X, y = load_diabetes(return_X_y=True)
    model = AugmentedEstimator(Ridge(), AUGMENTER, n_synthetic=0.5, random_state=0)
    model.fit(X[:200], y[:200])
    assert model.augmenter_.classes_ is None  # continuous, not 200 "classes"
    assert model.score(X[200:], y[200:]) > 0.2


def test_zero_ratio_is_the_plain_estimator(cancer):
    X, y = cancer
    model = AugmentedEstimator(classifier(), AUGMENTER, n_synthetic=0.0).fit(X, y)
    plain = classifier().fit(X, y)
    assert model.augmenter_ is None
    np.testing.assert_allclose(model.predict_proba(X), plain.predict_proba(X))


def test_synthetic_weight_reaches_the_estimator(cancer):
    X, y = cancer
    model = AugmentedEstimator(
        LogisticRegression(max_iter=1000), AUGMENTER, synthetic_weight=0.0, random_state=0
    ).fit(X, y)
    plain = LogisticRegression(max_iter=1000).fit(X, y)
    # Synthetic rows with zero weight leave the real-data solution.
    np.testing.assert_allclose(model.estimator_.coef_, plain.coef_, rtol=1e-2, atol=1e-3)
    with pytest.raises(ValueError, match="synthetic_weight"):
        AugmentedEstimator(KNeighborsClassifier(), synthetic_weight=0.5).fit(X, y)


def test_auto_chooses_by_inner_cross_validation(cancer):
    X, y = cancer
    model = AugmentedEstimator(
        classifier(), AUGMENTER, n_synthetic="auto", candidates=(1.0,), cv=2, random_state=0
    ).fit(X, y)
    assert set(model.inner_scores_) == {0.0, 1.0}
    best = max(model.inner_scores_.values())
    assert model.inner_scores_[model.n_synthetic_] == best


class SpyAugmenter(VAEAugmenter):
    """Records the index of every table it is fitted on."""

    seen: ClassVar[list] = []

    def fit(self, X, y=None):
        SpyAugmenter.seen.append(set(X.index))
        return super().fit(X, y)


def test_leak_free_under_cross_validation(cancer):
    X, y = cancer
    SpyAugmenter.seen = []
    spy = SpyAugmenter(**{**FAST, "max_epochs": 2})
    model = AugmentedEstimator(classifier(), spy, random_state=0)
    cv_results = cross_validate(model, X, y, cv=5, return_indices=True)
    assert len(SpyAugmenter.seen) == 5
    for seen, train, test in zip(
        SpyAugmenter.seen,
        cv_results["indices"]["train"],
        cv_results["indices"]["test"],
        strict=True,
    ):
        assert seen == set(X.index[train])
        assert not seen & set(X.index[test])


def test_cross_val_score_and_grid_search(cancer):
    X, y = cancer
    model = AugmentedEstimator(classifier(), AUGMENTER, random_state=0)
    assert cross_val_score(model, X, y, cv=3).mean() > 0.8
    search = GridSearchCV(
        model,
        {"augmenter__latent_dim": [2, 4], "estimator__logisticregression__C": [0.1, 1.0]},
        cv=2,
    ).fit(X, y)
    assert set(search.best_params_) == {
        "augmenter__latent_dim",
        "estimator__logisticregression__C",
    }


def test_inside_a_pipeline_after_preprocessing(cancer):
    X, y = cancer
    pipeline = make_pipeline(
        StandardScaler(),
        AugmentedEstimator(LogisticRegression(), AUGMENTER, random_state=0),
    )
    assert pipeline.fit(X, y).score(X, y) > 0.8


def test_clone_and_pickle(cancer):
    X, y = cancer
    model = AugmentedEstimator(classifier(), AUGMENTER, random_state=0).fit(X, y)
    assert clone(model).get_params()["augmenter"].get_params() == AUGMENTER.get_params()
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_denoising_column_transformer_with_pandas_output(mixed):
    X, _ = mixed
    numeric = ["income", "visits"]
    transformer = ColumnTransformer(
        [("denoise", VAEAugmenter(**FAST), numeric)], remainder="passthrough"
    ).set_output(transform="pandas")
    out = transformer.fit_transform(X)
    assert isinstance(out, pd.DataFrame) and len(out) == len(X)
    assert {"denoise__income", "denoise__visits"} <= set(out.columns)
    assert not out["denoise__income"].isna().any()


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"candidates": (-1.0, 1.0)}, "candidates"),
        ({"candidates": ()}, "candidates"),
        ({"n_synthetic": -0.5}, "n_synthetic"),
        ({"synthetic_weight": -1.0}, "synthetic_weight"),
    ],
)
def test_bad_parameters_are_named(cancer, params, name):
    X, y = cancer
    with pytest.raises(ValueError, match=name):
        AugmentedEstimator(LogisticRegression(), AUGMENTER, **params).fit(X, y)
