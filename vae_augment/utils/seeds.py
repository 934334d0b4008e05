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


def check_seed(random_state, name: str = "random_state") -> np.random.RandomState:
    """``random_state`` as a RandomState, the error naming the parameter.

    Takes what :func:`sklearn.utils.check_random_state` takes (``None``, an int in
    ``[0, 2**32 - 1]``, a ``RandomState``) and also a :class:`numpy.random.Generator`,
    from which a seed is drawn (advancing it, as any draw does).

    Raises
    ------
    ValueError
        For anything else, naming ``name``.
    """
    if isinstance(random_state, np.random.Generator):
        return np.random.RandomState(int(random_state.integers(2**32)))
    if not isinstance(random_state, bool):
        try:
            return check_random_state(random_state)
        except (TypeError, ValueError):
            pass
    raise ValueError(
        f"{name} must be None, an integer from 0 to 2**32 - 1, a numpy RandomState or "
        f"a numpy Generator; got {random_state!r}."
    )


def torch_generator(random_state, device: torch.device) -> torch.Generator:
    """A local torch generator on ``device``, seeded from an int, RandomState or None."""
    seed = new_seed(check_random_state(random_state))
    return torch.Generator(device=device).manual_seed(seed)
