"""scikit-learn's estimator checks, with each expected failure justified."""

from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from vae_augment import (
    AugmentedEstimator,
    VAEAugmenter,
    VAEEncoder,
    VAEImputer,
    VAEResampler,
)

# Small networks and few epochs: the checks test the API contract, not sample quality.
_FAST = {"max_epochs": 5, "hidden_dims": (16,), "latent_dim": 2, "random_state": 0}

EXPECTED_FAILURES = {
    VAEAugmenter: {
        # The network computes in float32, whose matrix products round differently for
        # different batch sizes (differences ~1e-7, below float32 resolution; the check
        # demands 1e-7). test_augmenter checks subset invariance at float32 tolerance.
        "check_methods_subset_invariance": "float32 rounding differs with batch size",
    },
    AugmentedEstimator: {
        # A weight of 2 is one row to the VAE, a repeated row two: the VAE is fitted
        # unweighted (see AugmentedEstimator.fit), so its synthetic rows, and the
        # estimator fitted on them, differ. test_augmented checks where weights go.
        "check_sample_weight_equivalence_on_dense_data": (
            "the VAE generating the synthetic rows is fitted without the weights"
        ),
    },
}


@parametrize_with_checks(
    [
        VAEAugmenter(**_FAST),
        VAEImputer(VAEAugmenter(**_FAST), random_state=0),
        VAEImputer(VAEAugmenter(**_FAST), sample_posterior=True, random_state=0),
        VAEEncoder(VAEAugmenter(**_FAST), random_state=0),
        # The meta-estimator behaves as the classifier or regressor it wraps.
        AugmentedEstimator(LogisticRegression(), VAEAugmenter(**_FAST), random_state=0),
        AugmentedEstimator(Ridge(), VAEAugmenter(**_FAST), random_state=0),
        # A sampler: scikit-learn's checks call its fit, which fits the generator (with
        # the normal latent prior: a mixture's fit is no part of the sampler's contract).
        VAEResampler(VAEAugmenter(**_FAST, latent_prior="normal"), random_state=0),
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILURES.get(type(estimator), {}),
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
