"""AugmentedEstimator: augmentation inside plain scikit-learn workflows, leak-free."""

import pickle
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from helpers import CONTRACT, FAST
from sklearn import config_context
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_score,
    cross_validate,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from vae_augment import AugmentedEstimator, VAEAugmenter

AUGMENTER = VAEAugmenter(**{**FAST, "max_epochs": 15})
TINY = VAEAugmenter(**CONTRACT)


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


# ------------------------------------------------------------ weights and routing
class Recorder(ClassifierMixin, BaseEstimator):
    """Predicts the first class; records the targets, weights and metadata it gets."""

    def fit(self, X, y, sample_weight=None, note=None):
        self.classes_ = np.unique(y)
        self.y_, self.sample_weight_, self.note_ = np.asarray(y), sample_weight, note
        return self

    def predict(self, X, note=None):
        self.predict_note_ = note
        return np.full(len(X), self.classes_[0])


class RegressionRecorder(RegressorMixin, BaseEstimator):
    """Predicts 0; records the weights it is fitted with."""

    def fit(self, X, y, sample_weight=None):
        self.sample_weight_ = sample_weight
        return self

    def predict(self, X):
        return np.zeros(len(X))


@pytest.fixture(scope="module")
def weighted(cancer):
    X, y = cancer
    X, y = X.iloc[:150], y.iloc[:150].to_numpy()
    rng = np.random.default_rng(0)
    return X, y, np.where(y == 1, 3.0, 1.0) * rng.uniform(0.5, 1.5, len(y))


def test_real_rows_keep_their_weights_synthetic_rows_their_class_mean(weighted):
    X, y, w = weighted
    model = AugmentedEstimator(
        Recorder(), TINY, n_synthetic=1.0, synthetic_weight=0.5, random_state=0
    ).fit(X, y, sample_weight=w)
    got, labels, n = model.estimator_.sample_weight_, model.estimator_.y_, len(y)
    np.testing.assert_array_equal(got[:n], w)
    for label in (0, 1):
        synthetic = got[n:][labels[n:] == label]
        np.testing.assert_allclose(synthetic, 0.5 * w[y == label].mean())
        # Every class's total weight grows by the same factor: the weighting is kept.
        assert got[labels == label].sum() == pytest.approx(1.5 * w[y == label].sum())


def test_without_sample_weight_real_rows_weigh_one(weighted):
    X, y, _ = weighted
    model = AugmentedEstimator(Recorder(), TINY, synthetic_weight=2.0, random_state=0)
    got = model.fit(X, y).estimator_.sample_weight_
    assert got[: len(y)].tolist() == [1.0] * len(y)
    assert got[len(y) :].tolist() == [2.0] * len(y)
    # Weights all 1: the estimator is fitted without any.
    model.set_params(synthetic_weight=1.0).fit(X, y)
    assert model.estimator_.sample_weight_ is None


def test_regressor_synthetic_rows_weigh_the_mean_weight(weighted):
    X, _, w = weighted
    y = X.iloc[:, 0].to_numpy()
    model = AugmentedEstimator(
        RegressionRecorder(), TINY, n_synthetic=0.5, synthetic_weight=0.5, random_state=0
    ).fit(X, y, sample_weight=w)
    got = model.estimator_.sample_weight_
    assert len(got) == len(y) + 75
    np.testing.assert_allclose(got[len(y) :], 0.5 * w.mean())


def test_weights_reach_the_last_step_of_a_pipeline(weighted):
    X, y, w = weighted
    pipeline = make_pipeline(StandardScaler(), Recorder())
    model = AugmentedEstimator(pipeline, TINY, random_state=0).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(model.estimator_[-1].sample_weight_[: len(y)], w)


def test_weights_need_an_estimator_that_takes_them(weighted):
    X, y, w = weighted
    model = AugmentedEstimator(KNeighborsClassifier(), TINY)
    with pytest.raises(ValueError, match=r"KNeighborsClassifier\.fit does not take"):
        model.fit(X, y, sample_weight=w)


@pytest.mark.parametrize(
    ("make_weights", "match"),
    [
        (lambda w: w[:-1], r"shape \(150,\), one weight per row of X; got shape \(149,\)"),
        (lambda w: w.reshape(-1, 1), r"got shape \(150, 1\)"),
        (lambda w: -w, "negative"),
        (lambda w: np.where(w > 2, np.nan, w), "NaN or infinity"),
        (lambda w: 0 * w, "Every sample weight is zero"),
        (lambda w: ["heavy"] * len(w), "must hold numbers"),
    ],
    ids=["short", "2-D", "negative", "NaN", "zero", "text"],
)
def test_bad_sample_weights_are_explained(weighted, make_weights, match):
    X, y, w = weighted
    with pytest.raises(ValueError, match=match):
        AugmentedEstimator(Recorder(), TINY).fit(X, y, sample_weight=make_weights(w))


def test_auto_scores_the_inner_folds_with_their_weights(weighted):
    X, y, w = weighted
    seen = []

    def scorer(estimator, X, y, sample_weight=None):
        seen.append(sample_weight)
        return 0.0

    cv = KFold(2)
    AugmentedEstimator(
        Recorder(), TINY, n_synthetic="auto", candidates=(1.0,), cv=cv, scoring=scorer
    ).fit(X, y, sample_weight=w)
    folds = [w[test] for _, test in cv.split(X)]
    assert len(seen) == 4  # two folds, two ratios (0 and 1)
    for index, got in enumerate(seen):
        np.testing.assert_array_equal(got, folds[index // 2])


def test_score_passes_sample_weight_on(weighted):
    X, y, w = weighted
    model = AugmentedEstimator(Recorder(), TINY, n_synthetic=0.0).fit(X, y)
    expected = np.average(y == model.classes_[0], weights=w)
    assert model.score(X, y, sample_weight=w) == pytest.approx(expected)


def test_cross_validate_routes_sample_weight(weighted):
    X, y, w = weighted
    with config_context(enable_metadata_routing=True):
        inner = Recorder().set_score_request(sample_weight=True)
        model = AugmentedEstimator(inner, TINY, random_state=0)
        results = cross_validate(
            model.set_fit_request(sample_weight=True),
            X,
            y,
            cv=3,
            params={"sample_weight": w},
            return_estimator=True,
            return_indices=True,
        )
    for fitted, train, test, score in zip(
        results["estimator"],
        results["indices"]["train"],
        results["indices"]["test"],
        results["test_score"],
        strict=True,
    ):
        # Fitted with the training folds' weights, scored with the test fold's.
        np.testing.assert_array_equal(
            fitted.estimator_.sample_weight_[: len(train)], w[train]
        )
        expected = np.average(y[test] == fitted.classes_[0], weights=w[test])
        assert score == pytest.approx(expected)


def test_unrequested_sample_weight_is_refused_under_routing(weighted):
    X, y, w = weighted
    with config_context(enable_metadata_routing=True):
        model = AugmentedEstimator(Recorder(), TINY)
        with pytest.raises(UnsetMetadataPassedError, match=r"AugmentedEstimator\.fit"):
            cross_validate(model, X, y, cv=3, params={"sample_weight": w})


def test_metadata_is_routed_to_the_estimator(weighted):
    X, y, _ = weighted
    with config_context(enable_metadata_routing=True):
        inner = Recorder().set_fit_request(note=True).set_predict_request(note=True)
        model = AugmentedEstimator(inner, TINY, n_synthetic=0.5, random_state=0)
        model.fit(X, y, note="for fit")
        model.predict(X, note="for predict")
        assert model.estimator_.note_ == "for fit"
        assert model.estimator_.predict_note_ == "for predict"
        with pytest.raises(UnsetMetadataPassedError, match=r"Recorder\.fit"):
            AugmentedEstimator(Recorder(), TINY).fit(X, y, note="unrequested")
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        model.fit(X, y, note="without routing")
