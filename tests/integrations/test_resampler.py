"""VAEResampler: imbalanced-learn's fit_resample with VAE-generated rows."""

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import CONTRACT, FAST
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.utils import get_tags

import vae_augment
from vae_augment import VAEAugmenter, VAEResampler
from vae_augment.integrations.strategy import rows_to_generate

AUGMENTER = VAEAugmenter(**{**FAST, "max_epochs": 20})
TINY = VAEAugmenter(**CONTRACT)


def small_imbalanced(n_major: int = 40, n_minor: int = 10):
    """Three normal columns, 40 rows of class 0 and 10 of class 1."""
    X = np.random.default_rng(0).normal(size=(n_major + n_minor, 3))
    return X, np.r_[np.zeros(n_major, dtype=int), np.ones(n_minor, dtype=int)]


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
        ("not minority", {"a": 50, "c": 0}),
        ("all", {"a": 50, "b": 90, "c": 0}),
        ({"b": 20}, {"b": 10}),
        ({"b": 10, "c": 100}, {"b": 0, "c": 0}),
        (lambda y: {"a": 70}, {"a": 20}),
    ],
)
def test_sampling_strategies_follow_imbalanced_learn(strategy, expected):
    y = np.array(["a"] * 50 + ["b"] * 10 + ["c"] * 100, dtype=object)
    assert rows_to_generate(y, strategy) == expected
    utils = pytest.importorskip("imblearn.utils")
    reference = utils.check_sampling_strategy(strategy, y, "over-sampling")
    assert {k: int(v) for k, v in reference.items()} == expected


@pytest.mark.parametrize("ratio", [0.3, 0.29, 0.5, 0.57, 1.0])
@pytest.mark.parametrize("counts", [(70, 20), (20, 70), (45, 45)])
def test_float_strategy_counts_as_imbalanced_learn(ratio, counts):
    # The same rows, or the same refusal, as imbalanced-learn's int(r * majority - n).
    utils = pytest.importorskip("imblearn.utils")
    y = np.repeat([0, 1], counts)
    try:
        reference = utils.check_sampling_strategy(ratio, y, "over-sampling")
    except ValueError:
        with pytest.raises(ValueError, match="asks for no new row"):
            rows_to_generate(y, ratio)
    else:
        assert rows_to_generate(y, ratio) == {k: int(v) for k, v in reference.items()}


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
    with pytest.raises(ValueError, match=r"asks for no new row of class 1\.0"):
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
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert X_res is not X and sampler.augmenter_ is None  # a copy, as with new rows


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


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"n_synthetic": -1.0}, "n_synthetic"),
        ({"sampling_strategy": "most"}, "sampling_strategy"),
        ({"sampling_strategy": 1.5}, "sampling_strategy"),
        ({"sampling_strategy": [0, 1]}, "sampling_strategy"),
    ],
)
def test_bad_parameters_are_named(params, name):
    with pytest.raises(ValueError, match=f"The '{name}' parameter of VAEResampler"):
        VAEResampler(TINY, **params).fit_resample(*small_imbalanced())


# ------------------------------------------------ imbalanced-learn's sampler contract
def test_feature_names_follow_the_input(imbalanced):
    X, y = imbalanced
    sampler = VAEResampler(TINY, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.n_features_in_ == X.shape[1]
    assert sampler.feature_names_in_.tolist() == list(X.columns)
    assert sampler.get_feature_names_out().tolist() == list(X_res.columns)
    assert list(X_res.columns) == list(X.columns)
    sampler.fit_resample(*small_imbalanced())  # an array has no names to keep
    assert sampler.n_features_in_ == 3 and not hasattr(sampler, "feature_names_in_")
    assert sampler.get_feature_names_out().tolist() == ["x0", "x1", "x2"]


def test_fitted_attributes_when_nothing_is_generated():
    X = pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0)})
    sampler = VAEResampler(TINY).fit(X, np.r_[np.zeros(5), np.ones(5)])
    assert sampler.augmenter_ is None and sampler.sampling_strategy_ == {1.0: 0}
    assert sampler.feature_names_in_.tolist() == ["a", "b"]


def test_lists_in_lists_out():
    X, y = small_imbalanced()
    X_res, y_res = VAEResampler(TINY, random_state=0).fit_resample(X.tolist(), y.tolist())
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert X_res[:50] == X.tolist() and len(X_res) == len(y_res) == 80
    assert y_res.count(0) == y_res.count(1) == 40


def test_column_vector_y_comes_back_one_dimensional():
    X, y = small_imbalanced()
    _, y_res = VAEResampler(TINY, random_state=0).fit_resample(X, y.reshape(-1, 1))
    assert y_res.shape == (80,) and np.bincount(y_res).tolist() == [40, 40]


def test_one_column_frame_y_comes_back_as_that_frame():
    X, y = small_imbalanced()
    X_frame = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res = VAEResampler(TINY, random_state=0).fit_resample(
        X_frame, pd.DataFrame({"label": y})
    )
    assert isinstance(y_res, pd.DataFrame) and list(y_res.columns) == ["label"]
    assert y_res["label"].value_counts().tolist() == [40, 40]
    assert y_res.index.equals(X_res.index)


def test_one_vs_all_y_comes_back_as_indicators():
    X, _ = small_imbalanced()
    labels = np.r_[np.zeros(30, dtype=int), np.ones(15, dtype=int), np.full(5, 2)]
    indicators = np.eye(3, dtype=np.int32)[labels]
    X_res, y_res = VAEResampler(TINY, random_state=0).fit_resample(X, indicators)
    assert y_res.shape == (90, 3) and y_res.dtype == np.int32
    assert (y_res.sum(axis=1) == 1).all() and y_res.sum(axis=0).tolist() == [30, 30, 30]
    # The same rows as for the labels themselves.
    X_labels, _ = VAEResampler(TINY, random_state=0).fit_resample(X, labels)
    np.testing.assert_array_equal(X_res, X_labels)


@pytest.mark.parametrize(
    ("make_y", "match"),
    [
        (lambda y: np.c_[y, 1 - y, y], "Multilabel and multioutput"),
        (lambda y: y[:-1], "y has 49 rows but X has 50"),
        (lambda y: np.zeros(50), "y has one class"),
        (lambda y: y * 0.5 + np.linspace(0, 0.1, 50), "y is continuous"),
    ],
    ids=["multilabel", "short", "one-class", "continuous"],
)
def test_bad_targets_are_explained(make_y, match):
    X, y = small_imbalanced()
    with pytest.raises(ValueError, match=match):
        VAEResampler(TINY).fit_resample(X, make_y(y))


def test_one_sample_is_explained():
    X, y = small_imbalanced()
    with pytest.raises(ValueError, match="one class"):
        VAEResampler(TINY).fit_resample(X[:1], y[:1])


def test_counts_as_imbalanced_learn_over_samplers_give():
    # imbalanced-learn's own checks assert these only for its BaseOverSampler subclasses.
    X, y = make_classification(
        n_samples=150, n_classes=3, n_informative=4, weights=[0.2, 0.3, 0.5], random_state=0
    )
    counts = np.bincount(y)
    _, y_res = VAEResampler(TINY, random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [counts.max()] * 3
    strategy = {0: 80, 2: int(counts[2])}
    _, y_res = VAEResampler(TINY, sampling_strategy=strategy).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [80, counts[1], counts[2]]


def test_tags_declare_an_over_sampler_of_mixed_tables():
    tags = get_tags(VAEResampler())
    assert tags.estimator_type == "sampler" and tags.target_tags.required
    assert tags.sampler_tags.sample_indices is False and tags.transformer_tags is None
    inputs = tags.input_tags
    assert inputs.dataframe and inputs.allow_nan and inputs.categorical and inputs.string
    assert not inputs.sparse
    assert VAEResampler._sampling_type == "over-sampling"
    base = pytest.importorskip("imblearn.base")
    assert base.is_sampler(VAEResampler())


def test_the_contract_needs_no_imbalanced_learn():
    # imbalanced-learn is a test dependency only: no module of the package imports it.
    package = Path(vae_augment.__file__).parent
    for module in package.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "imblearn" for n in names), module


def test_many_whole_number_classes_are_labels_to_balance():
    # 23 integer classes in 300 rows: VAEAugmenter(target_type="auto") would read a
    # number; sampling_strategy needs labels, as imbalanced-learn's samplers take them.
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300)})
    y = np.concatenate([np.arange(23).repeat(12), np.zeros(24, dtype=int)])
    _, y_res = VAEResampler(
        VAEAugmenter(max_epochs=2, latent_prior="normal"), random_state=0
    ).fit_resample(X, y)
    counts = np.bincount(y_res)
    assert len(counts) == 23 and (counts == counts[0]).all()


def test_nothing_to_add_still_gives_new_rows_with_a_fresh_index():
    X = pd.DataFrame({"a": [0.1, 0.2, 0.3, 0.4]}, index=[10, 11, 12, 13])
    y = pd.Series(["u", "u", "v", "v"], index=X.index)
    X_res, y_res = VAEResampler(random_state=0).fit_resample(X, y)  # balanced already
    assert X_res is not X and list(X_res.index) == [0, 1, 2, 3]
    assert list(y_res.index) == [0, 1, 2, 3] and list(y_res) == list(y)
