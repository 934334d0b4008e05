"""imbalanced-learn's checks of samplers, run on VAEResampler.

imbalanced-learn is a test dependency only; VAEResampler declares its sampler tags
without it (``vae_augment/integrations/sampler_tags.py``). Its checks of the counts
(``check_samplers_fit_resample``, ``check_samplers_sampling_strategy_fit_resample``)
assert only for imbalanced-learn's own base classes; test_resampler asserts the same
counts for VAEResampler.
"""

import pytest

pytest.importorskip("imblearn")

from helpers import CONTRACT
from imblearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_param_validation,
    estimator_checks_generator,
)

from vae_augment import VAEAugmenter, VAEResampler


def sampler() -> VAEResampler:
    return VAEResampler(VAEAugmenter(**CONTRACT), random_state=0)


# imbalanced-learn's parametrize_with_checks hands pytest a generator (deprecated).
CHECKS = list(estimator_checks_generator(sampler()))


@pytest.mark.parametrize(
    ("estimator", "check"), CHECKS, ids=[check.func.__name__ for _, check in CHECKS]
)
def test_imbalanced_learn_sampler_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    "check", [check_param_validation, check_dataframe_column_names_consistency]
)
def test_imbalanced_learn_common_checks(check):
    check("VAEResampler", sampler())
