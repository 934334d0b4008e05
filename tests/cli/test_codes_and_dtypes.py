"""Codes as text through the command line: leading zeros kept, ``--dtype COL=KIND``."""

import numpy as np
import pandas as pd
import pytest

FAST = ["--max-epochs", "5", "--hidden-dims", "32,32", "--latent-dim", "4", "--seed", "0"]


@pytest.fixture
def coded(tmp_path):
    rng = np.random.default_rng(0)
    n = 120
    zips = rng.choice(["02134", "02139", "10001", "94110", "00501"], n)
    table = pd.DataFrame(
        {
            "customer": [f"{i:06d}" for i in range(1, n + 1)],
            "zip": zips,
            "amount": rng.gamma(2.0, 30.0, n).round(2),
            "visits": rng.poisson(4, n),
        }
    )
    path = tmp_path / "codes.csv"
    table.to_csv(path, index=False)
    return tmp_path, path


def test_codes_with_leading_zeros_come_back_as_written(cli, coded):
    folder, path = coded
    code, _, err = cli("fit", path, "-o", folder / "m.vae", *FAST, "--quiet")
    assert code == 0, err
    code, _, err = cli("sample", folder / "m.vae", "-n", "300", "-o", folder / "s.csv")
    assert code == 0, err
    written = pd.read_csv(folder / "s.csv", dtype=str)
    assert written["zip"].isin(["02134", "02139", "10001", "94110", "00501"]).all()
    # customer is a key of six digits: fresh, unique, zero-padded, never a real one.
    assert written["customer"].str.fullmatch(r"\d{6}").all()
    assert written["customer"].is_unique and (written["customer"].astype(int) > 120).all()


def test_dtype_overrides_how_columns_are_read_and_modelled(cli, coded):
    folder, path = coded
    code, _, err = cli(
        "fit", path, "-o", folder / "m.vae", *FAST, "--quiet",
        "--dtype", "visits=categorical", "--dtype", "amount=float",
    )  # fmt: skip
    assert code == 0, err
    from vae_augment import load

    model = load(folder / "m.vae")
    assert model.schema_.columns["visits"] == "categorical"
    assert model.schema_.columns["zip"] == "code"


@pytest.mark.parametrize(
    ("dtype", "message"),
    [
        (
            "zip=integer",
            "code",
        ),
        ("nope=text", "--dtype names column 'nope', which the table does not have"),
        ("zip=number", "KIND must be one of text, integer"),
        ("visits=key", "'visits'] is 'key', but column 'visits' is not unique"),
    ],
)
def test_bad_dtype_gets_a_clear_error(cli, coded, dtype, message):
    folder, path = coded
    code, _, err = cli("fit", path, "-o", folder / "m.vae", *FAST, "--dtype", dtype)
    if dtype == "zip=integer":  # whole numbers: allowed, and then no longer a code
        assert code == 0, err
        return
    assert code != 0 and message in err and err.count("\n") <= 2
