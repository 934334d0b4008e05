"""Rows generated with cells fixed: the fixed cells exact, the rest conditional."""

import numpy as np
import pandas as pd
import pytest
from helpers import FAST

from vae_augment import VAEAugmenter, load_penguins
from vae_augment.fitting.conditioning import N_PROPOSALS
from vae_augment.model import inference


@pytest.fixture(scope="module")
def penguins_model():
    penguins = load_penguins()
    X, y = penguins.drop(columns="species"), penguins["species"]
    return VAEAugmenter(**{**FAST, "max_epochs": 120}).fit(X, y), penguins


def test_fixed_cells_come_back_exactly_and_the_rest_follows_them(penguins_model):
    model, penguins = penguins_model
    X_new, y_new = model.sample(400, given={"island": "Biscoe", "sex": "female"})
    assert (X_new["island"] == "Biscoe").all() and (X_new["sex"] == "female").all()
    assert X_new.dtypes.equals(penguins.drop(columns="species").dtypes)
    # No Chinstrap lives on Biscoe: the class follows the fixed cells, not the prior.
    assert (y_new == "Chinstrap").mean() < 0.05
    assert (y_new == "Gentoo").mean() > 0.4


def test_a_frame_of_conditions_gives_one_row_each_in_order(penguins_model):
    model, _ = penguins_model
    given = pd.DataFrame(
        {"bill_length_mm": [35.0, np.nan, 55.0], "island": ["Dream", "Torgersen", None]}
    )
    X_new, y_new = model.sample(given=given, random_state=0)
    assert len(X_new) == len(y_new) == 3
    assert X_new["bill_length_mm"][[0, 2]].tolist() == [35.0, 55.0]
    assert X_new["island"][[0, 1]].tolist() == ["Dream", "Torgersen"]
    again, _ = model.sample(given=given, random_state=0)
    pd.testing.assert_frame_equal(again, X_new)


def test_given_and_y_together(penguins_model):
    model, _ = penguins_model
    X_new, y_new = model.sample(y={"Gentoo": 5, "Adelie": 5}, given={"sex": "male"})
    assert y_new.tolist() == ["Gentoo"] * 5 + ["Adelie"] * 5
    assert (X_new["sex"] == "male").all()


def test_rare_conditions_cost_no_more(penguins_model):
    model, _penguins = penguins_model
    # Torgersen males with long bills: a handful of real rows.
    given = {"island": "Torgersen", "sex": "male", "bill_length_mm": 45.0}
    X_new, _ = model.sample(500, given=given, random_state=0)
    assert len(X_new) == 500 and (X_new["bill_length_mm"] == 45.0).all()


@pytest.mark.parametrize(
    ("given", "n_samples", "error", "match"),
    [
        ({"wings": 2}, None, ValueError, "given names column 'wings', which is not"),
        ({"island": "Atlantis"}, None, ValueError, r"'island' holds \['Atlantis'\], never"),
        ({"body_mass_g": 99_999.0}, None, ValueError, "outside the range seen in fit"),
        ({"body_mass_g": "heavy"}, None, ValueError, "'body_mass_g' holds 'heavy'"),
        ({"species": "Gentoo"}, None, ValueError, "given names the target 'species'"),
        (pd.DataFrame({"sex": ["male"] * 3}), 5, ValueError, "given has 3 rows but"),
        (pd.DataFrame({"sex": []}), None, ValueError, "given has no rows"),
        ([("sex", "male")], None, TypeError, "given must be a dict"),
    ],
    ids=[
        "unknown",
        "unseen-level",
        "out-of-range",
        "text-number",
        "target",
        "length",
        "empty",
        "list",
    ],
)
def test_bad_conditions_are_named(penguins_model, given, n_samples, error, match):
    model, _ = penguins_model
    with pytest.raises(error, match=match):
        model.sample(n_samples, given=given)


def test_sample_to_parquet_honours_the_condition(penguins_model, tmp_path):
    pytest.importorskip("pyarrow")
    model, _ = penguins_model
    given = {"island": "Dream"}
    model.sample_to_parquet(tmp_path / "s.parquet", 30, given=given, random_state=3)
    written = pd.read_parquet(tmp_path / "s.parquet")
    _expected, labels = model.sample(30, given=given, random_state=3)
    assert (written["island"] == "Dream").all()
    assert written["species"].tolist() == labels.tolist()


@pytest.mark.parametrize(
    ("given", "match"),
    [
        ({"year": 2008.5}, "column 'year' holds .*2008.5.* cannot hold exactly"),
        ({"body_mass_g": "heavy"}, "'body_mass_g' holds 'heavy'"),
    ],
    ids=["fraction-for-int", "text-for-float"],
)
def test_values_a_column_cannot_hold_are_refused_before_any_work(
    penguins_model, given, match
):
    model, _ = penguins_model
    with pytest.raises(ValueError, match=match):
        model.sample(3, given=given)


def test_values_are_put_back_in_the_columns_own_types(penguins_model):
    model, penguins = penguins_model
    X_new, _ = model.sample(
        4, given={"year": 2008.0, "bill_length_mm": "39.1", "sex": "male"}, random_state=0
    )
    assert X_new.dtypes.equals(penguins.drop(columns="species").dtypes)
    assert (X_new["year"] == 2008).all() and (X_new["bill_length_mm"] == 39.1).all()
    unconditional, _ = model.sample(4, random_state=0)
    pd.testing.assert_frame_equal(
        model.sample(4, given={}, random_state=0)[0], unconditional
    )


def test_conditional_sampling_decodes_no_more_rows_at_once_than_a_chunk_holds(
    penguins_model, monkeypatch
):
    model, _ = penguins_model
    module = model.model_.module
    decode, sizes = module.decode, []

    def recording(z, labels):
        sizes.append(len(z))
        return decode(z, labels)

    monkeypatch.setattr(module, "decode", recording)
    # More rows than a conditional chunk: each row's 64 proposals are decoded at once.
    n_rows = inference.CHUNK_PASSES // N_PROPOSALS + 10
    X_new, _ = model.sample(n_rows, given={"island": "Dream"}, random_state=0)
    assert len(X_new) == n_rows
    assert max(sizes) <= inference.CHUNK_PASSES
