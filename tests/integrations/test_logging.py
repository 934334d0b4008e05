"""The integrations log how many synthetic rows they chose to make, and why (INFO)."""

import logging

import numpy as np
from sklearn.linear_model import LogisticRegression

from vae_augment import AugmentedEstimator, VAEAugmenter, VAEResampler

TINY = VAEAugmenter(
    max_epochs=2, hidden_dims=(8,), latent_dim=2, latent_prior="normal", random_state=0
)


def imbalanced():
    rng = np.random.default_rng(0)
    return rng.normal(size=(60, 3)), np.r_[np.zeros(45), np.ones(15)]


def info(caplog, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger]


def test_auto_n_synthetic_logs_the_choice_and_the_scores(caplog):
    X, y = imbalanced()
    model = AugmentedEstimator(
        LogisticRegression(), TINY, n_synthetic="auto", candidates=(1.0,), cv=2
    )
    with caplog.at_level(logging.INFO, logger="vae_augment"):
        model.fit(X, y)
    scores = ", ".join(f"{r:g}: {s:.4f}" for r, s in model.inner_scores_.items())
    assert info(caplog, "vae_augment.integrations.augmented") == [
        f"n_synthetic='auto' chose {model.n_synthetic_:g}, the smallest ratio with the "
        f"best mean inner cross-validation score (ratio: score {scores})."
    ]


def test_a_fixed_n_synthetic_logs_no_choice(caplog):
    with caplog.at_level(logging.INFO, logger="vae_augment"):
        AugmentedEstimator(LogisticRegression(), TINY, n_synthetic=0.5).fit(*imbalanced())
    assert info(caplog, "vae_augment.integrations.augmented") == []


def test_resampler_logs_the_rows_its_strategy_asks_for(caplog):
    X, y = imbalanced()
    with caplog.at_level(logging.INFO, logger="vae_augment"):
        VAEResampler(TINY).fit_resample(X, y)
    assert info(caplog, "vae_augment.integrations.resampler") == [
        "Generating 30 synthetic rows (sampling_strategy_={1.0: 30}) for "
        "sampling_strategy='auto' and the class counts {0.0: 45, 1.0: 15}."
    ]


def test_resampler_in_enlarge_mode_logs_the_ratio(caplog):
    X, y = imbalanced()
    with caplog.at_level(logging.INFO, logger="vae_augment"):
        VAEResampler(TINY, n_synthetic=0.5).fit_resample(X, y)
    assert info(caplog, "vae_augment.integrations.resampler") == [
        "Generating 30 synthetic rows (sampling_strategy_={0.0: 22, 1.0: 8}) for "
        "n_synthetic=0.5 per real row."
    ]
