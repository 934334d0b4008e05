"""Dask: transform and sample partition by partition, reproducibly, with training dtypes."""

import sys

import numpy as np
import pandas as pd
import pytest

from vae_augment import VAEAugmenter, dask_sample, dask_transform

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

SMALL = {"max_epochs": 5, "hidden_dims": (32,), "latent_dim": 4, "random_state": 0}


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(scope="module")
def conditional(mixed):
    X, y = mixed
    return VAEAugmenter(**SMALL).fit(X, y)


@pytest.fixture(scope="module")
def unconditional(mixed):
    X, _ = mixed
    return VAEAugmenter(**SMALL).fit(X)


def _partitions(collection) -> list:
    return [part.compute() for part in collection.partitions]


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_transform_equals_in_memory_transform(conditional, mixed, scheduler):
    X, _ = mixed
    X = X.set_axis(pd.RangeIndex(1000, 1000 + len(X)))
    ddf = dd.from_pandas(X, npartitions=4)
    result = dask_transform(conditional, ddf)
    assert result.npartitions == 4
    assert result.divisions == ddf.divisions
    assert list(result.columns) == list(X.columns)
    with dask.config.set(scheduler=scheduler):
        computed = result.compute()
    expected = conditional.transform(ddf.compute())
    pd.testing.assert_frame_equal(computed, expected)
    assert computed.index.equals(X.index)
    assert computed.notna().all().all()


def test_transform_meta_matches_computed_dtypes(conditional, mixed):
    ddf = dd.from_pandas(mixed[0], npartitions=3)
    result = dask_transform(conditional, ddf)
    pd.testing.assert_series_equal(result.dtypes, result.compute().dtypes)


def test_sample_partition_sizes_index_and_dtypes(conditional, mixed):
    X_new, y_new = dask_sample(conditional, 103, npartitions=4, random_state=1)
    assert X_new.npartitions == y_new.npartitions == 4
    assert X_new.divisions == (0, 26, 52, 78, 102)
    assert [len(part) for part in _partitions(X_new)] == [26, 26, 26, 25]
    X_computed, y_computed = dask.compute(X_new, y_new)
    assert X_computed.index.equals(pd.RangeIndex(103))
    assert y_computed.index.equals(pd.RangeIndex(103))
    pd.testing.assert_series_equal(X_computed.dtypes, mixed[0].dtypes)
    pd.testing.assert_series_equal(X_new.dtypes, mixed[0].dtypes)
    assert y_computed.name == "risk"
    assert set(y_computed) <= {"bad", "good"}


def test_sample_is_reproducible_and_streams_differ(conditional):
    X_a, y_a = dask_sample(conditional, 200, npartitions=4, random_state=3)
    first = dask.compute(X_a, y_a)
    with dask.config.set(scheduler="threads"):
        second = dask.compute(X_a, y_a)
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_series_equal(first[1], second[1])
    again, _ = dask_sample(conditional, 200, npartitions=4, random_state=3)
    pd.testing.assert_frame_equal(again.compute(), first[0])

    other, _ = dask_sample(conditional, 200, npartitions=4, random_state=4)
    assert not other.compute()["income"].equals(first[0]["income"])

    incomes = [part["income"].to_numpy() for part in _partitions(X_a)]
    for i in range(len(incomes)):
        for j in range(i + 1, len(incomes)):
            assert not np.array_equal(incomes[i], incomes[j], equal_nan=True)


def test_sample_defaults_to_the_augmenter_seed(conditional):
    X_a, _ = dask_sample(conditional, 50, npartitions=2)
    X_b, _ = dask_sample(
        conditional, 50, npartitions=2, random_state=conditional.random_state
    )
    pd.testing.assert_frame_equal(X_a.compute(), X_b.compute())


def test_sample_dict_y_gives_exact_counts_grouped_by_class(conditional):
    X_new, y_new = dask_sample(conditional, npartitions=3, y={"bad": 40, "good": 11})
    X_computed, y_computed = dask.compute(X_new, y_new)
    assert len(X_computed) == 51
    assert [len(part) for part in _partitions(y_new)] == [17, 17, 17]
    assert list(y_computed) == ["bad"] * 40 + ["good"] * 11


def test_sample_without_target(unconditional, mixed):
    X_new, y_new = dask_sample(unconditional, 30, npartitions=2, random_state=0)
    assert y_new is None
    assert X_new.compute().shape == (30, mixed[0].shape[1])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_samples": 0, "npartitions": 1}, "n_samples must be a positive integer"),
        ({"n_samples": 2.5, "npartitions": 1}, "n_samples must be a positive integer"),
        ({"npartitions": 1}, "n_samples is required"),
        ({"n_samples": 10, "npartitions": 0}, "npartitions must be a positive integer"),
        ({"n_samples": 10, "npartitions": True}, "npartitions must be a positive integer"),
        ({"n_samples": 3, "npartitions": 4}, "npartitions=4 is more than the 3 rows"),
        ({"npartitions": 2, "y": {"ugly": 3}}, "Unknown class"),
        ({"npartitions": 2, "y": {"bad": -1}}, r"y\['bad'\] must be a non-negative"),
        ({"n_samples": 5, "npartitions": 2, "y": {"bad": 3}}, "n_samples=5 does not match"),
    ],
)
def test_sample_bad_input(conditional, kwargs, match):
    with pytest.raises(ValueError, match=match):
        dask_sample(conditional, **kwargs)


def test_sample_y_must_be_a_dict(conditional, unconditional):
    with pytest.raises(TypeError, match="y must be None or a dict"):
        dask_sample(conditional, npartitions=2, y=["bad", "good"])
    with pytest.raises(ValueError, match="fitted with class labels"):
        dask_sample(unconditional, npartitions=1, y={"bad": 2})


def test_transform_bad_input(conditional, mixed):
    X, _ = mixed
    with pytest.raises(TypeError, match="X must be a dask DataFrame, got DataFrame"):
        dask_transform(conditional, X)
    with pytest.raises(ValueError, match="feature names"):
        dask_transform(conditional, dd.from_pandas(X.drop(columns="city"), npartitions=2))


def test_unfitted_or_array_fitted_augmenter_is_refused(mixed):
    from sklearn.exceptions import NotFittedError

    ddf = dd.from_pandas(mixed[0], npartitions=2)
    with pytest.raises(NotFittedError):
        dask_transform(VAEAugmenter(), ddf)
    with pytest.raises(TypeError, match="augmenter must be a fitted VAEAugmenter"):
        dask_sample("model", 10, npartitions=1)
    on_array = VAEAugmenter(**SMALL).fit(np.random.default_rng(0).normal(size=(50, 2)))
    with pytest.raises(ValueError, match="fitted on an array"):
        dask_sample(on_array, 10, npartitions=2)


def test_missing_dask_names_the_extra(conditional, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(ImportError, match=r'pip install "vae-augment\[dask\]"'):
        dask_sample(conditional, 10, npartitions=1)


def test_dask_sample_with_given_cells(fitted):
    X, _ = dask_sample(fitted, 40, npartitions=4, given={"city": "Lima"}, random_state=0)
    frame = X.compute()
    assert len(frame) == 40 and (frame["city"] == "Lima").all()
    rows = pd.DataFrame({"visits": [1, 2, 3, 4, 5, 6]})
    X, _ = dask_sample(fitted, npartitions=3, given=rows, random_state=0)
    assert X.compute()["visits"].tolist() == [1, 2, 3, 4, 5, 6]
