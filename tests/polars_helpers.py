"""A polars table with every dtype vae_augment keeps, for the polars tests.

polars is imported inside the function: test modules that use it skip themselves with
``pytest.importorskip("polars")`` when it is not installed.
"""

import datetime

import numpy as np


def make_polars_frame(n_rows: int = 200, seed: int = 0):
    """A polars DataFrame of every supported dtype, nulls in most, and a label Series."""
    import polars as pl

    rng = np.random.default_rng(seed)
    label = rng.choice(["bad", "good"], n_rows, p=[0.3, 0.7])
    gaps = rng.random((n_rows, 4)) < 0.1

    def with_nulls(values, column: int) -> list:
        return [
            None if gap else value
            for value, gap in zip(values, gaps[:, column], strict=True)
        ]

    days = rng.integers(0, 1000, n_rows).tolist()
    minutes = rng.integers(0, 100_000, n_rows).tolist()
    frame = pl.DataFrame(
        [
            pl.Series("income", with_nulls(rng.lognormal(10, 0.6, n_rows).round(2), 0)),
            pl.Series("visits", rng.poisson(3, n_rows), dtype=pl.Int64),
            pl.Series(
                "age", with_nulls(rng.integers(18, 90, n_rows).tolist(), 1), pl.Int64
            ),
            pl.Series("rooms", rng.integers(1, 6, n_rows), dtype=pl.UInt8),
            pl.Series("ratio", rng.random(n_rows), dtype=pl.Float32),
            pl.Series("member", with_nulls((rng.random(n_rows) < 0.4).tolist(), 2)),
            pl.Series("city", rng.choice(["Oslo", "Lima", "Pune"], n_rows).tolist()),
            pl.Series(
                "colour", rng.choice(["red", "blue"], n_rows).tolist(), dtype=pl.Categorical
            ),
            pl.Series(
                "plan",
                with_nulls(rng.choice(["basic", "pro"], n_rows).tolist(), 3),
                # "legacy" is never used, and the order is not alphabetical.
                dtype=pl.Enum(["pro", "legacy", "basic"]),
            ),
            pl.Series(
                "joined", [datetime.date(2020, 1, 1) + datetime.timedelta(d) for d in days]
            ),
            pl.Series(
                "seen",
                [
                    datetime.datetime(2024, 3, 1) + datetime.timedelta(minutes=m)
                    for m in minutes
                ],
                dtype=pl.Datetime("us", "Europe/Oslo"),
            ),
            pl.Series("wait", [datetime.timedelta(minutes=m) for m in minutes]),
        ]
    )
    return frame, pl.Series("risk", label)
