"""Shared fixtures: a small mixed-type table and augmenters fitted on it once."""

import pytest
import torch
from helpers import FAST, make_mixed_frame

from vae_augment import VAEAugmenter

# The test models are tiny: one intra-op thread is as fast as two on a quiet machine and
# avoids a 10x slowdown when CI shares its cores (spinning threads wait for a busy core).
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def mixed():
    """The mixed table and its labels."""
    return make_mixed_frame()


@pytest.fixture(scope="session")
def fitted(mixed):
    """A conditional augmenter fitted on the mixed table."""
    X, y = mixed
    return VAEAugmenter(**FAST).fit(X, y)
