"""NormalQuantileMap.inverse_mean: the mean, in a column's units, of a normal cell."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vae_augment.table.quantiles import NormalQuantileMap


def _lognormal_map(seed: int = 0) -> tuple[np.ndarray, NormalQuantileMap]:
    column = np.random.default_rng(seed).lognormal(0.0, 1.0, (20_000, 1))
    return column, NormalQuantileMap.fit(column)


def test_the_mean_of_a_skewed_column_not_its_median():
    # N(0, 1) on the normal scale is the column's own distribution: mapped back, its
    # median is the column's median, its mean the column's mean (1.65x the median).
    column, quantile_map = _lognormal_map()
    centre, unit = np.zeros((1, 1)), np.ones((1, 1))
    assert np.isclose(
        quantile_map.inverse_transform(centre)[0, 0], np.median(column), rtol=0.02
    )
    assert np.isclose(
        quantile_map.inverse_mean(centre, unit)[0, 0], column.mean(), rtol=0.03
    )


@settings(max_examples=50, deadline=None)
@given(
    mean=st.floats(-6.0, 6.0),
    scale=st.floats(0.0, 3.0),
)
def test_inside_the_training_range_and_the_median_at_zero_scale(mean, scale):
    column, quantile_map = _lognormal_map()
    means, scales = np.full((2, 1), mean), np.array([[0.0], [scale]])
    out = quantile_map.inverse_mean(means, scales)
    assert np.allclose(out[0], quantile_map.inverse_transform(means[:1]))
    assert column.min() <= out.min() and out.max() <= column.max()


def test_transform_into_a_float32_block_is_the_float64_result_rounded():
    column, _ = _lognormal_map()
    X = np.column_stack([column[:500, 0], np.where(column[500:1000, 0] > 2, np.nan, 1.0)])
    quantile_map = NormalQuantileMap.fit(X)
    out = np.empty(X.shape, dtype=np.float32)
    quantile_map.transform(X, out=out)
    np.testing.assert_array_equal(out, quantile_map.transform(X).astype(np.float32))
