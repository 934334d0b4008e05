"""Write format-2 model files, a pickle and the rows they give (run at commit 3f6d4f9).

Format 2 is what vae_augment wrote before polars tables were remembered as such (format
3 added ``Container.is_polars``, ``Container.date_columns`` and ``Target.is_polars``).
``tests/persistence/test_format_v2.py`` loads these files with today's code and checks
that they sample, transform and score exactly the same rows. Re-running this script
with a later release writes files of that release's format instead: keep these ones.

    git archive 3f6d4f9 vae_augment | tar -x -C /tmp/v2
    PYTHONPATH=/tmp/v2 python tests/persistence/data/model_format_v2/make_v2_fixtures.py
"""

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from vae_augment import VAEAugmenter

HERE = Path(__file__).resolve().parent
SETTINGS = {"max_epochs": 15, "hidden_dims": (32, 32), "latent_dim": 4, "random_state": 0}


def mixed_table(n_rows: int = 200, seed: int = 0):
    """Numbers, nullable integers, booleans, categories, text and datetimes, and labels."""
    rng = np.random.default_rng(seed)
    label = rng.choice(np.array(["bad", "good"], dtype=object), n_rows, p=[0.3, 0.7])
    frame = pd.DataFrame(
        {
            "income": rng.lognormal(mean=10, sigma=0.6, size=n_rows).round(2),
            "age": pd.array(rng.integers(18, 90, n_rows), dtype="Int64"),
            "member": rng.random(n_rows) < 0.4,
            "plan": pd.Categorical(
                rng.choice(["basic", "plus", "pro"], n_rows),
                categories=["pro", "plus", "basic"],
            ),
            "city": pd.Series(rng.choice(["Oslo", "Lima", "Pune"], n_rows), dtype="str"),
            "seen": pd.Timestamp("2024-03-01", tz="Europe/Oslo")
            + pd.to_timedelta(rng.integers(0, 10_000, n_rows), unit="min"),
        }
    )
    frame.loc[rng.random(n_rows) < 0.15, "age"] = pd.NA
    return frame, pd.Series(label, name="risk")


def main() -> None:
    torch.set_num_threads(1)  # as the test suite runs
    X, y = mixed_table()
    X.to_parquet(HERE / "mixed_X.parquet")
    conditional = VAEAugmenter(**SETTINGS).fit(X, y)
    conditional.save(HERE / "conditional.vae")
    (HERE / "conditional.pkl").write_bytes(pickle.dumps(conditional))
    X_new, y_new = conditional.sample(40, random_state=0)
    X_new.assign(risk=y_new).to_parquet(HERE / "conditional_sample.parquet")
    conditional.transform(X.iloc[:30]).to_parquet(HERE / "conditional_transform.parquet")
    np.save(HERE / "conditional_scores.npy", conditional.score_samples(X.iloc[:30]))

    array = np.random.default_rng(1).normal(size=(150, 3))
    np.save(HERE / "array_X.npy", array)
    unconditional = VAEAugmenter(**SETTINGS).fit(array)
    unconditional.save(HERE / "array.vae")
    np.save(HERE / "array_sample.npy", unconditional.sample(40, random_state=0)[0])


if __name__ == "__main__":
    main()
