"""VAEResampler: imbalanced-learn's fit_resample with VAE-generated rows."""

import numpy as np
import pandas as pd
import pytest
from helpers import FAST
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression

from vae_augment import VAEAugmenter, VAEResampler
from vae_augment.integrations.strategy import rows_to_generate

AUGMENTER = VAEAugmenter(**{**FAST, "max_epochs": 20})


@pytest.fixture(scope="module")
def imbalanced(mixed):
    X, y = mixed  # 30 % "bad", 70 % "good"
    return X, y


def test_fit_resample_balances_and_keeps_types(imbalanced):
    X, y = imbalanced
    X_res, y_res = VAEResampler(AUGMENTER, random_state=0).fit_resample(X, y)
    counts = y_res.value_counts()
    assert counts["bad"] == counts["good"] == (y == "good").sum()
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X.reset_index(drop=True))
    assert y_res.name == y.name


def test_arrays_in_arrays_out():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(90, 2)), np.r_[np.zeros(70, int), np.ones(20, int)]
    X_res, y_res = VAEResampler(AUGMENTER, sampling_strategy=0.5).fit_resample(X, y)
    assert isinstance(X_res, np.ndarray) and X_res.shape == (105, 2)
    assert np.bincount(y_res).tolist() == [70, 35]


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("auto", {"a": 50, "b": 90}),
        ("not majority", {"a": 50, "b": 90}),
        ("minority", {"b": 90}),
        ("not minority", {"a": 50}),
        ("all", {"a": 50, "b": 90}),
        ({"b": 20}, {"b": 10}),
        (lambda y: {"a": 70}, {"a": 20}),
    ],
)
def test_sampling_strategies_follow_imbalanced_learn(strategy, expected):
    y = np.array(["a"] * 50 + ["b"] * 10 + ["c"] * 100, dtype=object)
    assert rows_to_generate(y, strategy) == expected
    utils = pytest.importorskip("imblearn.utils")
    reference = utils.check_sampling_strategy(strategy, y, "over-sampling")
    assert {k: int(v) for k, v in reference.items() if v} == expected


@pytest.mark.parametrize(
    ("strategy", "match"),
    [
        ("most", "not one of"),
        (0.5, "only for binary"),
        ({"z": 3}, "unknown class"),
        ({"c": 10}, "cannot remove rows"),
    ],
)
def test_bad_sampling_strategies_are_explained(strategy, match):
    y = np.array(["a"] * 50 + ["b"] * 10 + ["c"] * 100, dtype=object)
    with pytest.raises(ValueError, match=match):
        rows_to_generate(y, strategy)


def test_float_ratio_cannot_shrink_binary_minority():
    with pytest.raises(ValueError, match="cannot remove rows"):
        rows_to_generate(np.r_[np.zeros(50), np.ones(40)], 0.5)


def test_enlarge_mode_keeps_class_proportions(imbalanced):
    X, y = imbalanced
    sampler = VAEResampler(AUGMENTER, n_synthetic=2.0, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert len(X_res) == 3 * len(X)
    new = y_res.iloc[len(y) :].value_counts()
    assert new["bad"] == 2 * (y == "bad").sum() and new["good"] == 2 * (y == "good").sum()


def test_enlarge_mode_for_regression():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = pd.Series(2 * X["a"] + rng.normal(scale=0.1, size=200), name="target")
    X_res, y_res = VAEResampler(AUGMENTER, n_synthetic=0.5).fit_resample(X, y)
    assert len(X_res) == len(y_res) == 300 and y_res.dtype == np.float64
    with pytest.raises(ValueError, match="Set n_synthetic"):
        VAEResampler(AUGMENTER).fit_resample(X, y)


def test_integer_regression_target_follows_the_augmenter_target_type():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200)})
    y = pd.Series(rng.integers(0, 40, size=200), name="count")  # looks like 40 classes
    augmenter = clone(AUGMENTER).set_params(target_type="continuous")
    resampler = VAEResampler(augmenter, n_synthetic=0.5, random_state=0)
    X_res, y_res = resampler.fit_resample(X, y)
    assert len(X_res) == 300
    assert resampler.augmenter_.classes_ is None  # modelled jointly, not per class
    assert len(y_res) == 300 and y_res.dtype == y.dtype
    with pytest.raises(ValueError, match="Set n_synthetic"):
        VAEResampler(augmenter).fit_resample(X, y)


def test_augmenter_is_cloned_not_mutated(imbalanced):
    X, y = imbalanced
    augmenter = clone(AUGMENTER)
    sampler = VAEResampler(augmenter, random_state=3).fit(X, y)
    assert not hasattr(augmenter, "module_")
    assert sampler.augmenter_ is not augmenter
    assert sampler.sampling_strategy_ == {
        "bad": int((y == "good").sum() - (y == "bad").sum())
    }


def test_balanced_data_is_returned_unchanged():
    X, y = np.arange(20.0).reshape(10, 2), np.r_[np.zeros(5), np.ones(5)]
    sampler = VAEResampler(AUGMENTER)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res is X and y_res is y and sampler.augmenter_ is None


def test_same_seed_same_rows(imbalanced):
    X, y = imbalanced
    first = VAEResampler(AUGMENTER, random_state=1).fit_resample(X, y)[0]
    second = VAEResampler(AUGMENTER, random_state=1).fit_resample(X, y)[0]
    pd.testing.assert_frame_equal(first, second)


def test_in_imbalanced_learn_pipeline(imbalanced):
    pipeline_module = pytest.importorskip("imblearn.pipeline")
    X, y = imbalanced
    numeric = X[["income", "visits"]].fillna(0.0)
    pipeline = pipeline_module.make_pipeline(
        VAEResampler(AUGMENTER, random_state=0), LogisticRegression()
    )
    pipeline.fit(numeric, y)
    # Predictions are made on real rows only: the sampler runs in fit, not predict.
    assert pipeline.predict(numeric).shape == (len(numeric),)


def test_regressor_pipeline_with_enlarge_mode():
    pipeline_module = pytest.importorskip("imblearn.pipeline")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = X @ np.array([1.0, -2.0])
    pipeline = pipeline_module.make_pipeline(
        VAEResampler(VAEAugmenter(**FAST), n_synthetic=1.0, random_state=0),
        LinearRegression(),
    )
    assert pipeline.fit(X, y).score(X, y) > 0.8


def test_negative_n_synthetic_is_named(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="n_synthetic"):
        VAEResampler(AUGMENTER, n_synthetic=-1.0).fit_resample(X, y)
