"""The target head: rows generated with a continuous target keep its relation to X."""

import numpy as np
import pandas as pd
import pytest
from helpers import FAST
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score

from vae_augment import VAEAugmenter, load


def linear_table(n=500, seed=0):
    """``y`` linear in two numbers and a category, with noise (R² about 0.9)."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.gamma(2.0, 1.0, n),
            "c": rng.normal(size=n),
            "shop": rng.choice(["north", "south", "east"], n),
        }
    )
    effect = X["shop"].map({"north": 0.0, "south": 2.0, "east": -2.0})
    y = pd.Series(3 * X["a"] - 2 * X["b"] + effect + rng.normal(0, 0.8, n), name="y")
    return X, y


def _features(X):
    return pd.get_dummies(X, columns=["shop"], dtype=float)


@pytest.fixture(scope="module")
def fitted():
    X, y = linear_table()
    return VAEAugmenter(**FAST).fit(X, y)


def test_generated_rows_keep_the_targets_relation_to_the_features(fitted):
    X_test, y_test = linear_table(seed=1)
    X_new, y_new = fitted.sample(2000, random_state=0)
    model = LinearRegression().fit(_features(X_new), y_new)
    assert r2_score(y_test, model.predict(_features(X_test))) > 0.9  # real rows: 0.97
    assert fitted.model_.module.has_target_head


def test_without_a_target_head_the_decoder_generates_the_target():
    X, y = linear_table()
    model = VAEAugmenter(**FAST, target_head=False).fit(X, y)
    assert not model.model_.module.has_target_head
    _, y_new = model.sample(50, random_state=0)
    assert len(y_new) == 50 and np.isfinite(y_new).all()


def test_a_given_feature_moves_the_generated_target(fitted):
    _, high = fitted.sample(400, given={"a": 2.0}, random_state=0)
    _, low = fitted.sample(400, given={"a": -2.0}, random_state=0)
    # y rises by 3 per unit of a: 12 between the two conditions
    assert 11 < high.mean() - low.mean() < 15


def test_a_saved_model_keeps_its_target_head(fitted, tmp_path):
    path = tmp_path / "regression.vae"
    fitted.save(path)
    loaded = load(path)
    assert loaded.model_.module.has_target_head and loaded.target_head
    first = fitted.sample(300, random_state=3)
    again = loaded.sample(300, random_state=3)
    pd.testing.assert_frame_equal(first[0], again[0])
    np.testing.assert_array_equal(np.asarray(first[1]), np.asarray(again[1]))
