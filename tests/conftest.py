"""Shared fixtures: a small mixed-type table and augmenters fitted on it once."""

import numpy as np
import pandas as pd
import pytest
import torch

from vae_augment import VAEAugmenter

# The test models are tiny: one intra-op thread is as fast as two on a quiet machine and
# avoids a 10x slowdown when CI shares its cores (spinning threads wait for a busy core).
torch.set_num_threads(1)

#: Settings that train in about a second on a few hundred rows.
FAST = {"max_epochs": 60, "hidden_dims": (64, 64), "latent_dim": 8, "random_state": 0}


def make_mixed_frame(n_rows: int = 400, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """A table with every supported column kind, missing values and a class label."""
    rng = np.random.default_rng(seed)
    label = rng.choice(np.array(["bad", "good"], dtype=object), n_rows, p=[0.3, 0.7])
    is_bad = label == "bad"
    income = rng.lognormal(mean=10 + is_bad, sigma=0.6, size=n_rows)
    income[rng.random(n_rows) < 0.1] = np.nan
    frame = pd.DataFrame(
        {
            "income": income,
            "visits": rng.poisson(3 + 4 * is_bad),
            "age": pd.array(rng.integers(18, 90, n_rows), dtype="Int64"),
            "member": rng.random(n_rows) < 0.4,
            "plan": pd.Categorical(
                rng.choice(["basic", "plus", "pro"], n_rows, p=[0.6, 0.35, 0.05]),
                categories=["pro", "plus", "basic", "legacy"],
            ),
            "city": pd.Series(rng.choice(["Oslo", "Lima", "Pune"], n_rows), dtype="str"),
            "joined": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 1000, n_rows), unit="D"),
        }
    )
    frame.loc[rng.random(n_rows) < 0.15, "age"] = pd.NA
    frame.loc[rng.random(n_rows) < 0.1, "plan"] = np.nan
    return frame, pd.Series(label, name="risk")


@pytest.fixture(scope="session")
def mixed():
    """The mixed table and its labels."""
    return make_mixed_frame()


@pytest.fixture(scope="session")
def fitted(mixed):
    """A conditional augmenter fitted on the mixed table."""
    X, y = mixed
    return VAEAugmenter(**FAST).fit(X, y)
