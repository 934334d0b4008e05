"""Write the format-1 model files and the rows they give (run at commit ff3b28b).

These files were written by vae_augment 0.1.0 before its modules moved; the test in
``tests/persistence/test_legacy_files.py`` loads them with today's code and checks that
they sample, transform and score exactly the same rows. Re-running this script with a
later release writes files of that release's format instead: keep these ones.

    python tests/data/model_format_v1/make_fixtures.py
"""

from pathlib import Path

import numpy as np
import pandas as pd
import torch

from vae_augment import VAEAugmenter

HERE = Path(__file__).resolve().parent
SETTINGS = {"max_epochs": 15, "hidden_dims": (32, 32), "latent_dim": 4, "random_state": 0}


def mixed_table(n_rows: int = 200, seed: int = 0):
    """Every column kind the codec knows, with missing values, and a class label."""
    rng = np.random.default_rng(seed)
    label = rng.choice(np.array(["bad", "good"], dtype=object), n_rows, p=[0.3, 0.7])
    is_bad = label == "bad"
    income = rng.lognormal(mean=10 + is_bad, sigma=0.6, size=n_rows).round(2)
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
            "seen": pd.Timestamp("2024-03-01", tz="Europe/Oslo")
            + pd.to_timedelta(rng.integers(0, 10_000, n_rows), unit="min"),
        }
    )
    frame.loc[rng.random(n_rows) < 0.15, "age"] = pd.NA
    frame.loc[rng.random(n_rows) < 0.1, "plan"] = np.nan
    return frame, pd.Series(label, name="risk")


def regression_array(n_rows: int = 150, seed: int = 1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + rng.normal(scale=0.1, size=n_rows)


def main() -> None:
    torch.set_num_threads(1)  # as the test suite runs
    X, y = mixed_table()
    X.to_parquet(HERE / "mixed_X.parquet")
    conditional = VAEAugmenter(**SETTINGS).fit(X, y)
    conditional.save(HERE / "conditional.vae")
    X_new, y_new = conditional.sample(40, random_state=0)
    X_new.assign(risk=y_new).to_parquet(HERE / "conditional_sample.parquet")
    X_cls, _ = conditional.sample(y={"bad": 5, "good": 3}, random_state=1)
    X_cls.to_parquet(HERE / "conditional_sample_classes.parquet")
    conditional.transform(X.iloc[:30]).to_parquet(HERE / "conditional_transform.parquet")
    np.save(HERE / "conditional_scores.npy", conditional.score_samples(X.iloc[:30]))

    X, y = regression_array()
    np.save(HERE / "regression_X.npy", X)
    regression = VAEAugmenter(**SETTINGS, target_type="continuous").fit(X, y)
    regression.save(HERE / "regression.vae")
    X_new, y_new = regression.sample(40, random_state=0)
    np.save(HERE / "regression_sample_X.npy", X_new)
    np.save(HERE / "regression_sample_y.npy", y_new)
    np.save(HERE / "regression_transform.npy", regression.transform(X[:30]))
    np.save(HERE / "regression_scores.npy", regression.score_samples(X[:30]))


if __name__ == "__main__":
    main()
