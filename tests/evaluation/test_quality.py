"""Real-vs-synthetic quality scores."""

import numpy as np
import pandas as pd
import pytest

from vae_augment import quality_report


@pytest.fixture
def real():
    rng = np.random.default_rng(0)
    a = rng.normal(size=500)
    return pd.DataFrame(
        {
            "a": a,
            "b": a + rng.normal(scale=0.2, size=500),
            "c": pd.Categorical(np.where(a > 0, "high", "low")),
            "when": pd.Timestamp("2021-01-01")
            + pd.to_timedelta(rng.integers(0, 99, 500), "D"),
        }
    )


def test_identical_tables_score_one(real):
    report = quality_report(real, real)
    assert report.column_shapes == report.pair_trends == report.overall == 1.0
    assert len(report.pairs) == 6 and set(report.columns["kind"]) == {
        "numeric",
        "categorical",
    }


def test_broken_relations_lower_pair_trends_only(real):
    rng = np.random.default_rng(1)
    shuffled = real.apply(lambda column: column.sample(frac=1, random_state=rng).to_numpy())
    report = quality_report(real, shuffled)
    assert report.column_shapes == 1.0
    assert report.pair_trends < 0.8


def test_shifted_column_and_missing_rate_lower_shape(real):
    fake = real.assign(a=real["a"] + 1.0, c=real["c"].where(real.index % 2 == 0))
    columns = quality_report(real, fake).columns.set_index("column")
    assert columns.loc["a", "shape"] < 0.7
    assert columns.loc["c", "shape"] < 0.6
    assert columns.loc["c", "missing_synthetic"] == pytest.approx(0.5)
    assert columns.loc["b", "shape"] == 1.0


def test_mismatched_columns_are_rejected(real):
    with pytest.raises(ValueError, match="same columns"):
        quality_report(real, real.drop(columns="a"))
