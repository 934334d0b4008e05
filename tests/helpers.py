"""Helpers shared by the test modules: fast settings, a mixed table, codec round trips."""

import numpy as np
import pandas as pd

from vae_augment.table.codec import TableCodec
from vae_augment.table.kinds import NUMERIC

#: Settings that train in about a second on a few hundred rows.
FAST = {"max_epochs": 60, "hidden_dims": (64, 64), "latent_dim": 8, "random_state": 0}
#: Settings for tests of an API contract, not of the rows: a few epochs of a tiny network
#: and the normal latent prior (fitting a mixture is most of a tiny fit's time).
CONTRACT = {
    "max_epochs": 3,
    "hidden_dims": (16,),
    "latent_dim": 2,
    "latent_prior": "normal",
    "random_state": 0,
}


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


#: Floats must come back within this fraction of their column's range.
FLOAT_RTOL = 1e-4


def round_trip(frame: pd.DataFrame) -> tuple[TableCodec, pd.DataFrame]:
    """Fit a codec on ``frame`` and return it with ``decode(encode(frame))``."""
    codec = TableCodec.fit(frame)
    encoded = codec.encode(frame)
    return codec, codec.decode(encoded.numeric, encoded.codes)[0]


def assert_decoded_equal(
    codec: TableCodec, decoded: pd.DataFrame, original: pd.DataFrame
) -> None:
    """Same columns, dtypes and missing cells; values exact, floats within tolerance.

    Float columns (numeric without a rounding step) must match within ``FLOAT_RTOL``
    of their range; every other column exactly (categories and their order included).
    """
    assert list(decoded.columns) == list(original.columns)
    pd.testing.assert_series_equal(decoded.dtypes, original.dtypes)
    for spec in codec.columns:
        got, expected = decoded[spec.name], original[spec.name].reset_index(drop=True)
        if isinstance(expected.dtype, pd.CategoricalDtype):
            assert got.cat.categories.equals(expected.cat.categories), spec.name
        np.testing.assert_array_equal(got.isna(), expected.isna(), err_msg=spec.name)
        observed = expected.notna().to_numpy()
        if spec.kind == NUMERIC and spec.step is None:
            reference = expected[observed].astype(float)
            np.testing.assert_allclose(
                got[observed].astype(float),
                reference,
                rtol=0,
                atol=FLOAT_RTOL * (reference.max() - reference.min()),
                err_msg=spec.name,
            )
        else:
            assert got[observed].tolist() == expected[observed].tolist(), spec.name
