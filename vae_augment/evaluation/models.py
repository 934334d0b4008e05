"""The gradient-boosting models the detection and utility scores fit, made alike.

HistGradientBoosting with its default settings, native categorical support for the
columns :func:`~vae_augment.evaluation.encoding.model_frames` makes categorical, and a
seed. They fit on one thread: on tables of the report's sizes (at most a few ten
thousand rows) OpenMP threads gain little, and on a busy machine their waiting costs
ten times the work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits


def classifier(seed: int) -> HistGradientBoostingClassifier:
    """A HistGradientBoosting classifier with native categorical support."""
    return HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=seed
    )


def regressor(seed: int) -> HistGradientBoostingRegressor:
    """A HistGradientBoosting regressor with native categorical support."""
    return HistGradientBoostingRegressor(
        categorical_features="from_dtype", random_state=seed
    )


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with OpenMP (the models' threads) limited to one thread."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield
