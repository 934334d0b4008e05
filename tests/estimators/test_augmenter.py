"""VAEAugmenter as a user meets it: sampling, conditioning, reconstruction, scoring."""

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import FAST, make_mixed_frame
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from vae_augment import TargetTypeWarning, VAEAugmenter


def assert_same_schema(real: pd.DataFrame, synthetic: pd.DataFrame) -> None:
    """Columns, dtypes, categories, integer-ness and ranges match the real table."""
    assert list(synthetic.columns) == list(real.columns)
    pd.testing.assert_series_equal(synthetic.dtypes, real.dtypes)
    for column in real.columns:
        values, reference = synthetic[column], real[column]
        if isinstance(reference.dtype, pd.CategoricalDtype):
            assert values.cat.categories.equals(reference.cat.categories)
            continue
        if pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(
            reference
        ):
            observed = values.dropna().astype(float)
            assert observed.min() >= reference.min() and observed.max() <= reference.max()
        if pd.api.types.is_integer_dtype(reference):
            assert (values.dropna().astype(float) % 1 == 0).all()
        if not reference.isna().any():
            assert not values.isna().any(), column


# ------------------------------------------------------------------------- sample
def test_sample_matches_schema_of_training_frame(fitted, mixed):
    X, _ = mixed
    X_new, y_new = fitted.sample(500, random_state=1)
    assert X_new.shape == (500, X.shape[1])
    assert_same_schema(X, X_new)
    assert isinstance(y_new, pd.Series) and y_new.name == "risk"
    assert set(y_new) <= {"bad", "good"}


def test_sample_reproduces_missing_rates(fitted, mixed):
    X, _ = mixed
    X_new, _ = fitted.sample(4000, random_state=2)
    for column in ("income", "age", "plan"):
        assert abs(X_new[column].isna().mean() - X[column].isna().mean()) < 0.06, column


def test_sample_keeps_rare_categories(fitted):
    X_new, _ = fitted.sample(4000, random_state=3)
    # "pro" is 5 % of the data: argmax decoding would erase it, sampling keeps it.
    assert 0.01 < (X_new["plan"] == "pro").mean() < 0.15


def test_sample_per_class_counts_and_order(fitted):
    X_new, y_new = fitted.sample(y={"bad": 30, "good": 20}, random_state=0)
    assert len(X_new) == 50
    assert list(y_new) == ["bad"] * 30 + ["good"] * 20


def test_sample_with_label_array(fitted):
    labels = np.array(["good", "bad", "bad"], dtype=object)
    _, y_new = fitted.sample(y=labels, random_state=0)
    assert list(y_new) == list(labels)


def test_sample_without_labels_follows_class_frequencies(fitted, mixed):
    _, y = mixed
    _, y_new = fitted.sample(3000, random_state=4)
    assert abs((y_new == "bad").mean() - (y == "bad").mean()) < 0.04


def test_conditional_samples_differ_by_class(fitted):
    bad, _ = fitted.sample(y={"bad": 2000}, random_state=0)
    good, _ = fitted.sample(y={"good": 2000}, random_state=0)
    # In the data, "bad" rows have more visits and higher incomes.
    assert bad["visits"].mean() > good["visits"].mean() + 1
    assert bad["income"].median() > good["income"].median()


def test_sample_from_array_fit_returns_array():
    X = np.random.default_rng(0).normal(size=(200, 3))
    augmenter = VAEAugmenter(**FAST).fit(X)
    X_new, y_new = augmenter.sample(7)
    assert isinstance(X_new, np.ndarray) and X_new.shape == (7, 3)
    assert X_new.dtype == np.float64 and y_new is None


def test_integer_array_comes_back_as_integers():
    X = np.random.default_rng(0).integers(0, 10, size=(200, 2))
    X_new, _ = VAEAugmenter(**FAST).fit(X).sample(50)
    assert X_new.dtype == X.dtype
    assert X_new.min() >= 0 and X_new.max() <= 9


def test_continuous_target_is_generated_jointly():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = pd.Series(3 * X["a"] + rng.normal(scale=0.1, size=400), name="price")
    augmenter = VAEAugmenter(**FAST).fit(X, y)
    assert augmenter.classes_ is None
    X_new, y_new = augmenter.sample(2000, random_state=0)
    assert y_new.name == "price" and y_new.dtype == np.float64
    assert np.corrcoef(X_new["a"], y_new)[0, 1] > 0.8
    assert augmenter.transform(X).shape == X.shape
    with pytest.raises(ValueError, match="class labels"):
        augmenter.sample(3, y=[1.0, 2.0, 3.0])


def test_target_seen_in_training_still_transforms_without_it():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = pd.Series(3 * X["a"] + rng.normal(scale=0.1, size=400), name="price")
    blind = VAEAugmenter(**FAST).fit(X, y)
    seen = VAEAugmenter(**{**FAST, "target_dropout": 0.5}).fit(X, y)
    X_new, y_new = seen.sample(2000, random_state=0)
    assert np.corrcoef(X_new["a"], y_new)[0, 1] > 0.8
    # The encoder saw the target: other weights, other rows than a blind one.
    assert not y_new.equals(blind.sample(2000, random_state=0)[1])
    assert seen.transform(X).shape == X.shape and np.isfinite(seen.score_samples(X)).all()


def test_integer_target_of_many_values_is_a_number():
    # A price in whole dollars: 400 rows, ~300 distinct values. type_of_target says
    # "multiclass"; one class per price would be a conditional VAE of 300 classes.
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400)})
    price = pd.Series((1000 + 200 * X["a"]).round().astype(int), name="price")
    augmenter = VAEAugmenter(**FAST).fit(X, price)
    assert augmenter.classes_ is None
    _, generated = augmenter.sample(50, random_state=0)
    assert generated.dtype == price.dtype and generated.nunique() > 20


def test_integer_labels_of_few_values_stay_classes():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300)})
    digit = rng.integers(0, 10, size=300)
    assert list(VAEAugmenter(**FAST).fit(X, digit).classes_) == list(range(10))


def test_many_integer_labels_in_few_rows_stay_classes_with_a_warning():
    # 30 distinct codes in 1,000 rows (3 %): could be either; the user is told how to
    # choose.
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=1000)})
    code = np.arange(1000) % 30
    with pytest.warns(TargetTypeWarning, match="target_type='continuous'"):
        augmenter = VAEAugmenter(**{**FAST, "max_epochs": 1}).fit(X, code)
    assert len(augmenter.classes_) == 30


# ------------------------------------------------------------ reproducibility
def test_same_seed_same_fit_and_samples(mixed):
    X, y = mixed
    first = VAEAugmenter(**FAST).fit(X, y)
    second = VAEAugmenter(**FAST).fit(X, y)
    assert first.loss_curve_ == second.loss_curve_
    pd.testing.assert_frame_equal(first.sample(100)[0], second.sample(100)[0])


def test_sample_random_state_overrides_estimator_seed(fitted):
    default_a, _ = fitted.sample(50)
    default_b, _ = fitted.sample(50)
    other, _ = fitted.sample(50, random_state=123)
    pd.testing.assert_frame_equal(default_a, default_b)
    assert not default_a.equals(other)


def test_fit_and_sample_leave_torch_global_rng_alone(mixed):
    X, y = mixed
    state = torch.random.get_rng_state()
    augmenter = VAEAugmenter(**{**FAST, "max_epochs": 2}).fit(X, y)
    augmenter.sample(10)
    assert torch.equal(torch.random.get_rng_state(), state)


# ----------------------------------------------------------------- transform
def test_transform_fills_missing_and_keeps_rows(fitted, mixed):
    X, _ = mixed
    X_shuffled = X.sample(frac=1.0, random_state=0)
    out = fitted.transform(X_shuffled)
    assert out.index.equals(X_shuffled.index)
    assert not out.isna().any().any()
    assert_same_schema(X.dropna(), out.dropna())


def test_transform_is_deterministic_and_row_wise(fitted, mixed):
    X, _ = mixed
    full = fitted.transform(X)
    pd.testing.assert_frame_equal(full, fitted.transform(X))
    part = fitted.transform(X.iloc[10:20])
    pd.testing.assert_frame_equal(part, full.iloc[10:20], rtol=1e-5)


def test_transform_denoises():
    rng = np.random.default_rng(0)
    latent = rng.normal(size=(600, 1))
    clean = latent @ np.ones((1, 6))
    noisy = clean + rng.normal(scale=0.3, size=clean.shape)
    augmenter = VAEAugmenter(**{**FAST, "max_epochs": 200}).fit(noisy)
    error_noisy = np.sqrt(np.mean((noisy - clean) ** 2))
    error_denoised = np.sqrt(np.mean((augmenter.transform(noisy) - clean) ** 2))
    assert error_denoised < 0.75 * error_noisy


def test_transform_imputes_from_other_columns():
    rng = np.random.default_rng(1)
    a = rng.normal(size=800)
    X = pd.DataFrame({"a": a, "b": a + rng.normal(scale=0.1, size=800)})
    # "b" has no missing values in fit: input_dropout teaches the encoder to cope.
    augmenter = VAEAugmenter(**{**FAST, "max_epochs": 200, "input_dropout": 0.2}).fit(X)
    holes = X.head(100).assign(b=np.nan)
    filled = augmenter.transform(holes)["b"]
    assert np.corrcoef(filled, X["b"].head(100))[0, 1] > 0.8


def test_transform_fills_a_skewed_column_with_its_mean_not_its_median():
    # "b" is independent of "a": the best single fill is its mean (least squared
    # error), 1.65x its median for a lognormal column.
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"a": rng.normal(size=1000), "b": rng.lognormal(0.0, 1.0, 1000)})
    augmenter = VAEAugmenter(**{**FAST, "max_epochs": 100, "input_dropout": 0.2}).fit(X)
    filled = augmenter.transform(X.head(200).assign(b=np.nan))["b"]
    mean, median = X["b"].mean(), X["b"].median()
    assert abs(filled.mean() - mean) < abs(filled.mean() - median)


def test_unseen_category_is_imputed_with_warning(fitted, mixed):
    X, _ = mixed
    odd = X.head(3).astype({"city": object})
    odd.loc[odd.index[0], "city"] = "Atlantis"
    with pytest.warns(UserWarning, match="'city'.*never seen"):
        out = fitted.transform(odd)
    assert out.loc[odd.index[0], "city"] in {"Oslo", "Lima", "Pune"}


def test_set_output_pandas_names_array_columns():
    X = np.random.default_rng(0).normal(size=(100, 2))
    augmenter = VAEAugmenter(**FAST).set_output(transform="pandas").fit(X)
    out = augmenter.transform(X)
    assert list(out.columns) == ["x0", "x1"]


def test_works_as_pipeline_step(mixed):
    X, y = mixed
    numeric = X[["income", "visits"]]
    pipeline = make_pipeline(VAEAugmenter(**FAST), LogisticRegression())
    pipeline.fit(numeric, y)
    assert pipeline.score(numeric, y) > 0.6


# ------------------------------------------------------------------- scoring
def test_score_samples_ranks_outliers_lower():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(500, 3)), columns=["a", "b", "c"])
    augmenter = VAEAugmenter(**FAST).fit(X)
    typical = augmenter.score_samples(X.head(50))
    outliers = augmenter.score_samples(
        pd.DataFrame(np.full((5, 3), 4.0), columns=X.columns)
    )
    assert typical.shape == (50,) and np.isfinite(typical).all()
    assert outliers.max() < np.median(typical)
    assert augmenter.score(X.head(50)) == pytest.approx(typical.mean())


def test_score_samples_of_conditional_model(fitted, mixed):
    X, _ = mixed
    scores = fitted.score_samples(X)
    assert scores.shape == (len(X),) and np.isfinite(scores).all()


# ------------------------------------------------------------------- training
def test_history_attributes(fitted):
    assert fitted.n_iter_ == len(fitted.loss_curve_) == len(fitted.validation_loss_curve_)
    assert 1 <= fitted.best_epoch_ <= fitted.n_iter_
    assert fitted.best_loss_ == min(fitted.validation_loss_curve_)
    assert fitted.loss_curve_[-1] < fitted.loss_curve_[0]


def test_tiny_table_monitors_training_loss():
    X, _ = make_mixed_frame(n_rows=30)
    augmenter = VAEAugmenter(**{**FAST, "max_epochs": 5}).fit(X)
    assert augmenter.validation_loss_curve_ == []
    assert augmenter.best_loss_ == min(augmenter.loss_curve_)


def test_verbose_shows_progress_bar(mixed, capsys):
    X, _ = mixed
    VAEAugmenter(**{**FAST, "max_epochs": 2, "verbose": True}).fit(X)
    assert "VAEAugmenter" in capsys.readouterr().err


def test_device_auto_resolves(fitted):
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert fitted.device_.type == expected
    assert next(fitted.module_.parameters()).device.type == expected


@pytest.mark.parametrize("dtype", [object, "U1"])
def test_numpy_string_labels_come_back_as_numpy(dtype):
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.array(["a", "b"] * 20, dtype=dtype)
    _, y_new = VAEAugmenter(**{**FAST, "max_epochs": 2}).fit(X, y).sample(6)
    assert isinstance(y_new, np.ndarray) and y_new.dtype == y.dtype
    assert set(y_new) <= {"a", "b"}


def test_failed_fit_leaves_no_half_fitted_estimator(mixed):
    X, y = mixed
    augmenter = VAEAugmenter(**FAST)
    bad_y = y.astype(object).where(np.arange(len(y)) % 7 > 0)  # missing labels
    with pytest.raises(ValueError, match="missing"):
        augmenter.fit(X, bad_y)
    with pytest.raises(NotFittedError):
        augmenter.sample(5)
    assert not [name for name in vars(augmenter) if name.endswith("_")]


def test_latent_prior_choice(mixed):
    X, y = mixed
    normal = VAEAugmenter(**FAST, latent_prior="normal").fit(X, y)
    assert normal.latent_prior_.weights.shape == (2, 1)  # N(0, I) for each class
    assert np.array_equal(normal.latent_prior_.means, np.zeros((2, 1, FAST["latent_dim"])))
    mixture = VAEAugmenter(**FAST).fit(X, y)
    assert mixture.latent_prior_.weights.shape[1] > 1  # several components per class
    # The mixture sits where the training rows' codes are, not at the origin.
    codes = mixture.encode(X, y)
    centre = (mixture.latent_prior_.weights[..., None] * mixture.latent_prior_.means).sum(1)
    for k, label in enumerate(mixture.classes_):
        assert np.allclose(centre[k], codes[np.asarray(y) == label].mean(0), atol=0.3)
    with pytest.raises(ValueError, match="latent_prior"):
        VAEAugmenter(latent_prior="flow").fit(X, y)


def test_encode_gives_deterministic_posterior_means(fitted, mixed):
    X, y = mixed
    codes = fitted.encode(X)
    assert codes.shape == (len(X), FAST["latent_dim"]) and codes.dtype == np.float64
    np.testing.assert_array_equal(fitted.encode(X), codes)
    # Encoding under the given labels differs from encoding under the likeliest class
    # only for rows whose likeliest class is not their label.
    assert not np.array_equal(fitted.encode(X, y), codes) or len(set(y)) == 1
    with pytest.raises(ValueError, match="Unknown class"):
        fitted.encode(X, ["nope"] * len(X))
