"""What a fit logs at INFO: the table's shape, its columns by type, target, device."""

import logging

import numpy as np
import pandas as pd
import pytest

from vae_augment import VAEAugmenter

TINY = {
    "max_epochs": 1,
    "hidden_dims": (8,),
    "latent_dim": 2,
    "latent_prior": "normal",
    "random_state": 0,
}


def fit_messages(caplog, X, y=None, **params) -> list[str]:
    """The INFO messages of ``vae_augment.fitting`` during one tiny fit."""
    with caplog.at_level(logging.INFO, logger="vae_augment"):
        VAEAugmenter(**{**TINY, **params}).fit(X, y)
    return [r.getMessage() for r in caplog.records if r.name.startswith("vae_augment.fit")]


def test_fit_logs_shape_columns_by_type_and_classes(caplog, mixed):
    X, y = mixed
    assert fit_messages(caplog, X, y) == [
        "Fitting 400 rows x 7 columns on cpu; 40 rows held out for validation.",
        "Columns: float (1): income; integer (2): visits, age; datetime (1): joined; "
        "boolean (1): member; categorical (2): plan, city.",
        "Target 'risk': 2 classes ('bad', 'good').",
    ]


def test_fit_logs_a_continuous_target_and_a_table_too_small_to_validate(caplog):
    X = pd.DataFrame(
        {"wait": pd.to_timedelta(np.arange(12), unit="h"), "n": np.arange(12) % 3}
    )
    messages = fit_messages(caplog, X, np.linspace(0, 1, 12))
    assert messages == [
        "Fitting 12 rows x 2 columns on cpu; no validation rows: early stopping watches "
        "the training loss.",
        "Columns: integer (1): n; timedelta (1): wait.",
        "Target y: continuous, modelled jointly with the columns.",
    ]


def test_many_names_are_cut_with_a_count(caplog):
    X = pd.DataFrame(np.random.default_rng(0).normal(size=(30, 25))).add_prefix("c")
    columns = fit_messages(caplog, X)[1]
    assert columns == "Columns: float (25): " + ", ".join(f"c{i}" for i in range(10)) + (
        ", ... (15 more)."
    )


def test_parquet_fit_logs_every_row_not_the_sample(caplog, tmp_path):
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=3000), "label": rng.integers(0, 2, 3000)})
    frame.to_parquet(tmp_path / "rows.parquet", row_group_size=1000)
    first = fit_messages(caplog, str(tmp_path / "rows.parquet"), "label")[0]
    assert first.startswith("Fitting 3000 rows x 1 columns on cpu; ")


def test_nothing_is_logged_below_the_level_asked_for(caplog, mixed):
    with caplog.at_level(logging.WARNING, logger="vae_augment"):
        VAEAugmenter(**TINY).fit(*mixed)
    assert caplog.records == []
