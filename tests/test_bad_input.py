"""Bad input gets a clear error naming the column or parameter, never a torch trace."""

import numpy as np
import pandas as pd
import pytest
from conftest import FAST
from sklearn.exceptions import NotFittedError

from vae_augment import VAEAugmenter

TINY = {**FAST, "max_epochs": 2}


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": rng.normal(size=60),
            "n": rng.integers(0, 5, 60),
            "c": rng.choice(["a", "b"], 60),
        }
    )


@pytest.fixture(scope="module")
def augmenter(frame):
    return VAEAugmenter(**TINY).fit(frame, np.arange(60) % 2)


@pytest.mark.parametrize(
    ("make_X", "error", "match"),
    [
        (lambda f: f.iloc[:0], ValueError, "0 sample"),
        (lambda f: f.iloc[:, :0], ValueError, "0 feature"),
        (lambda f: f["x"], ValueError, "Expected 2D"),
        (lambda f: f["x"].to_numpy(), ValueError, "Expected 2D"),
        (lambda f: np.zeros((3, 3, 3)), ValueError, "Expected 2D"),
        (lambda f: "data.csv", TypeError, "2-D array-like"),
        (lambda f: f.iloc[:1], ValueError, "n_samples = 1"),
        (lambda f: f.assign(x=np.inf), ValueError, "'x' contains infinity"),
        (lambda f: f.assign(x=-np.inf), ValueError, "'x' contains infinity"),
        (lambda f: f.assign(x=np.nan), ValueError, "'x' has no observed values"),
        (lambda f: f.assign(c=[{"k": 1}] * len(f)), TypeError, "'c' holds unhashable"),
        (lambda f: f.set_axis(["x", "x", "c"], axis=1), ValueError, "duplicate column"),
        (lambda f: f.astype({"x": complex}).to_numpy(), ValueError, "Complex data"),
    ],
)
def test_fit_rejects_bad_tables(frame, make_X, error, match):
    with pytest.raises(error, match=match):
        VAEAugmenter(**TINY).fit(make_X(frame))


@pytest.mark.parametrize(
    ("y", "match"),
    [
        (np.arange(59), "y has 59 rows but X has 60"),
        (np.where(np.arange(60) % 2, 1.0, np.nan), "y contains 30 missing"),
        (np.zeros((60, 2)), "1-D"),
        (np.full(60, np.inf), "infinity"),
    ],
)
def test_fit_rejects_bad_targets(frame, y, match):
    with pytest.raises(ValueError, match=match):
        VAEAugmenter(**TINY).fit(frame, y)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"latent_dim": 0}, "latent_dim"),
        ({"latent_dim": -3}, "latent_dim"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"batch_size": 0}, "batch_size"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"max_epochs": 0}, "max_epochs"),
        ({"beta": -1.0}, "beta"),
        ({"input_dropout": 1.0}, "input_dropout"),
        ({"hidden_dims": (8, 0)}, "hidden_dims"),
        ({"hidden_dims": ()}, "hidden_dims"),
        ({"device": "tpu"}, "device"),
        (
            {"device": "cuda:7"} if not __import__("torch").cuda.is_available() else {},
            "device",
        ),
    ],
)
def test_bad_parameters_are_named(frame, params, name):
    if not params:
        pytest.skip("CUDA is available here")
    with pytest.raises(ValueError, match=name):
        VAEAugmenter(**{**TINY, **params}).fit(frame)


def test_batch_size_larger_than_data_is_fine(frame):
    augmenter = VAEAugmenter(**{**TINY, "batch_size": 10_000}).fit(frame)
    assert augmenter.n_iter_ == 2


@pytest.mark.parametrize(
    ("make_X", "error", "match"),
    [
        (lambda f: f.drop(columns="n"), ValueError, "n_features|feature names"),
        (lambda f: f.assign(extra=1.0), ValueError, "n_features|feature names"),
        (lambda f: f.rename(columns={"x": "z"}), ValueError, "feature names"),
        (lambda f: f[["n", "x", "c"]], ValueError, "feature names"),
        (lambda f: f.assign(x=np.inf), ValueError, "'x' contains infinity"),
        (lambda f: f.assign(n="many"), TypeError, "'n' must hold numbers"),
        (lambda f: f.iloc[:0], ValueError, "0 sample"),
        (lambda f: f["x"], ValueError, "Expected 2D"),
    ],
)
@pytest.mark.parametrize("method", ["transform", "score_samples"])
def test_methods_reject_mismatched_tables(frame, augmenter, make_X, error, match, method):
    with pytest.raises(error, match=match):
        getattr(augmenter, method)(make_X(frame))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_samples": 0}, "n_samples must be a positive integer"),
        ({"n_samples": -5}, "n_samples must be a positive integer"),
        ({"n_samples": 2.5}, "n_samples must be a positive integer"),
        ({"y": {7: 3}}, r"Unknown class\(es\) \[7\]"),
        ({"y": ["zebra"]}, "Unknown class"),
        ({"y": {0: -1}}, "non-negative integer count"),
        ({"n_samples": 5, "y": {0: 3}}, "n_samples=5 does not match the 3 rows"),
        ({"y": {0: 0}}, "no rows"),
    ],
)
def test_sample_rejects_bad_requests(augmenter, kwargs, match):
    with pytest.raises(ValueError, match=match):
        augmenter.sample(**kwargs)


def test_sample_labels_need_a_conditional_model(frame):
    augmenter = VAEAugmenter(**TINY).fit(frame)
    with pytest.raises(ValueError, match="fitted with class labels"):
        augmenter.sample(2, y=[0, 1])


@pytest.mark.parametrize("method", ["transform", "score_samples", "sample"])
def test_use_before_fit(frame, method):
    args = () if method == "sample" else (frame,)
    with pytest.raises(NotFittedError):
        getattr(VAEAugmenter(), method)(*args)


def test_constant_and_single_level_columns(frame):
    X = frame.assign(const=3.0, level="only")
    augmenter = VAEAugmenter(**TINY).fit(X)
    X_new, _ = augmenter.sample(20)
    assert (X_new["const"] == 3.0).all() and (X_new["level"] == "only").all()


def test_high_cardinality_categorical():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"id": [f"u{i}" for i in range(2000)], "x": rng.normal(size=2000)})
    augmenter = VAEAugmenter(**TINY).fit(X)
    X_new, _ = augmenter.sample(500, random_state=0)
    assert X_new["id"].isin(X["id"]).all() and X_new["id"].nunique() > 100


def test_extreme_magnitudes_stay_finite():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {"huge": rng.normal(size=100) * 1e300, "tiny": rng.random(100) * 1e-300}
    )
    augmenter = VAEAugmenter(**TINY).fit(X)
    X_new, _ = augmenter.sample(50)
    assert np.isfinite(X_new.to_numpy()).all()
    assert np.isfinite(augmenter.transform(X).to_numpy()).all()
