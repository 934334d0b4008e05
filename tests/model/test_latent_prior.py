"""The latent mixture that sample() draws codes from."""

import numpy as np
import torch
from scipy.stats import multivariate_normal

from vae_augment.model.latent_prior import LatentMixture


def draw(mixture, groups, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return mixture.sample(torch.as_tensor(groups), generator).numpy()


def test_standard_normal_is_the_vae_prior():
    z = draw(LatentMixture.standard_normal(3, 2), np.repeat([0, 1], 20_000))
    assert np.allclose(z.mean(axis=0), 0, atol=0.03)
    assert np.allclose(np.cov(z.T), np.eye(3), atol=0.05)


def test_each_group_samples_its_own_codes():
    rng = np.random.default_rng(0)
    codes = np.vstack([rng.normal(-3, 0.5, (400, 4)), rng.normal(3, 0.5, (400, 4))])
    groups = np.repeat([0, 1], 400)
    mixture = LatentMixture.fit(codes, groups, 2, np.random.RandomState(0))
    z = draw(mixture, np.repeat([1, 0], 5_000))
    assert np.allclose(z[:5_000].mean(axis=0), 3, atol=0.1)
    assert np.allclose(z[5_000:].mean(axis=0), -3, atol=0.1)
    assert np.allclose(z[5_000:].std(axis=0), 0.5, atol=0.1)


def test_small_groups_still_sample_in_every_direction():
    # 12 codes in 8 dimensions: a full covariance would be singular (a flat slice).
    rng = np.random.default_rng(1)
    mixture = LatentMixture.fit(
        rng.normal(size=(12, 8)), np.zeros(12, int), 1, np.random.RandomState(0)
    )
    z = draw(mixture, np.zeros(2_000, int))
    assert np.linalg.matrix_rank(np.cov(z.T)) == 8
    assert np.linalg.eigvalsh(np.cov(z.T)).min() > 0.1


def test_same_generator_same_codes():
    mixture = LatentMixture.standard_normal(4, 3)
    groups = np.array([2, 0, 1, 1, 0])
    assert np.array_equal(draw(mixture, groups, seed=5), draw(mixture, groups, seed=5))
    assert not np.array_equal(draw(mixture, groups, seed=5), draw(mixture, groups, seed=6))


def test_codes_are_drawn_for_at_most_max_fit_rows_of_a_group():
    from vae_augment.model.latent_prior import MAX_FIT_ROWS

    groups = np.concatenate([np.zeros(MAX_FIT_ROWS + 300, int), np.ones(40, int)])
    np.random.default_rng(0).shuffle(groups)
    rows = LatentMixture.rows_to_fit(groups, 3, np.random.RandomState(0))
    assert np.all(np.diff(rows) > 0)  # table order, no row twice
    assert np.bincount(groups[rows], minlength=3).tolist() == [MAX_FIT_ROWS, 40, 0]


def test_log_prob_is_the_mixture_density_of_each_rows_group():
    rng = np.random.default_rng(0)
    latent_dim, n_rows = 3, 200
    weights = np.array([[0.3, 0.7, 0.0], [1.0, 0.0, 0.0]])  # zero weights: padding
    means = rng.normal(size=(2, 3, latent_dim))
    factors = np.tril(rng.normal(size=(2, 3, latent_dim, latent_dim)), -1)
    cholesky = factors + np.eye(latent_dim) * rng.uniform(0.5, 2, (2, 3, 1, 1))
    prior = LatentMixture(weights, means, cholesky)
    z = rng.normal(scale=2, size=(n_rows, latent_dim))
    groups = rng.integers(0, 2, n_rows)
    expected = [
        np.log(
            sum(
                w * multivariate_normal(m, c @ c.T).pdf(row)
                for w, m, c in zip(weights[g], means[g], cholesky[g], strict=True)
                if w > 0
            )
        )
        for row, g in zip(z, groups, strict=True)
    ]
    got = prior.log_prob(torch.as_tensor(z, dtype=torch.float32), torch.as_tensor(groups))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-4, atol=1e-4)
