"""What fit learned, as one object: derived attributes, pickling, independence from
parameters changed after fit, internal names that never collide with the user's."""

import pickle

import numpy as np
import pandas as pd
import pytest
from helpers import FAST
from sklearn.exceptions import NotFittedError

from vae_augment import VAEAugmenter
from vae_augment.fitting.fitted import FittedVAE

QUICK = {**FAST, "max_epochs": 5}


def test_fitted_attributes_read_from_the_one_fitted_object(fitted):
    model = fitted.model_
    assert isinstance(model, FittedVAE)
    assert fitted.n_features_in_ == model.table.n_features == 7
    assert fitted.classes_ is model.table.target.classes
    assert fitted.loss_curve_ is model.history.train_loss
    assert fitted.n_iter_ == len(fitted.loss_curve_)
    assert fitted.module_ is model.module
    with pytest.raises(AttributeError, match="read-only"):
        fitted.classes_ = np.array(["x"])


def test_fitted_attributes_are_absent_before_fit():
    augmenter = VAEAugmenter()
    for name in ("n_features_in_", "classes_", "loss_curve_", "module_"):
        assert not hasattr(augmenter, name)
    with pytest.raises(NotFittedError):
        augmenter.latent_prior_  # noqa: B018


def test_array_fit_has_no_feature_names():
    augmenter = VAEAugmenter(**QUICK).fit(np.random.default_rng(0).normal(size=(60, 2)))
    assert not hasattr(augmenter, "feature_names_in_")
    assert augmenter.get_feature_names_out().tolist() == ["x0", "x1"]


def test_failed_refit_leaves_no_model(mixed):
    X, y = mixed
    augmenter = VAEAugmenter(**QUICK).fit(X, y)
    with pytest.raises(ValueError, match="all missing"):
        augmenter.fit(X.assign(empty=np.nan), y)
    assert not hasattr(augmenter, "model_")
    with pytest.raises(NotFittedError):
        augmenter.sample(3)


def test_parameters_changed_after_fit_do_not_change_the_model(mixed):
    X, y = mixed
    augmenter = VAEAugmenter(**QUICK).fit(X, y)
    expected = augmenter.transform(X)
    augmenter.set_params(latent_dim=3, hidden_dims=(4,), target_type="continuous")
    pd.testing.assert_frame_equal(augmenter.transform(X), expected)
    copy = pickle.loads(pickle.dumps(augmenter))
    pd.testing.assert_frame_equal(copy.transform(X), expected)


def test_a_user_column_with_an_internal_looking_name_is_kept(mixed):
    # A continuous target is the codec's own column, known by its place, not its name.
    X, _ = mixed
    X = X[["income", "visits"]].assign(__vae_augment_target__=np.arange(len(X)) % 7)
    y = pd.Series(np.linspace(0.0, 1.0, len(X)), name="score")
    augmenter = VAEAugmenter(**QUICK).fit(X, y)
    X_new, y_new = augmenter.sample(40, random_state=0)
    assert list(X_new.columns) == list(X.columns)
    assert set(X_new["__vae_augment_target__"]) <= set(range(7))
    assert y_new.name == "score" and y_new.between(0.0, 1.0).all()
    assert list(augmenter.transform(X).columns) == list(X.columns)
