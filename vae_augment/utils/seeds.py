"""Seeds derived from a user's ``random_state``; torch's global generator is untouched."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.utils import check_random_state


def new_seed(rng: np.random.RandomState) -> int:
    """A fresh int32 seed drawn from ``rng`` (for a sub-task's own generator)."""
    return int(rng.randint(np.iinfo(np.int32).max))


def process_seed(seed: int, rank: int) -> int:
    """A seed of its own for training process ``rank``, derived from ``seed``."""
    return int(np.random.SeedSequence([seed, rank]).generate_state(1)[0])


def torch_generator(random_state, device: torch.device) -> torch.Generator:
    """A local torch generator on ``device``, seeded from an int, RandomState or None."""
    seed = new_seed(check_random_state(random_state))
    return torch.Generator(device=device).manual_seed(seed)
