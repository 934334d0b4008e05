"""Table structure: rules found on tables built with known rules (none on random ones),
kept in every output path, keys made fresh, and bad declarations refused by name."""

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from helpers import FAST

from vae_augment import DataWarning, VAEAugmenter, VAEImputer
from vae_augment.table.structure.learn import learn_structure
from vae_augment.table.structure.rules import MappingRule

N = 400


def ruled_table(n=N, seed=0):
    """A table whose rows keep one rule of every family, and a key column."""
    rng = np.random.default_rng(seed)
    a = np.round(rng.gamma(2.0, 50.0, n), 2)
    b = np.round(rng.gamma(3.0, 20.0, n), 2)
    fee = np.where(rng.random(n) < 0.8, 0.0, np.round(rng.uniform(5, 30, n), 2))
    hour = rng.integers(5, 23, n)
    minute = rng.integers(0, 60, n)
    sub = rng.choice(["A1", "A2", "B1", "B2", "C1"], n)
    weight = rng.normal(3000, 600, n).round()
    lower = rng.integers(0, 50, n)
    day = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    return pd.DataFrame(
        {
            "id": [f"C{i:05d}" for i in rng.permutation(n) + 1],
            "a": a,
            "b": b,
            "fee": fee,
            "total": np.round(a + b + fee, 2),
            "hhmm": hour * 100 + minute,
            "hour": hour,
            "minute": minute,
            "sub": sub,
            "grade": [s[0] for s in sub],
            "weight": weight,
            "low": (weight < 2500).astype(int),
            "lower": lower,
            "upper": lower + rng.integers(0, 30, n),
            "day": day,
            "month": day.month,
            "noise": rng.normal(size=n),
        }
    )


KNOWN_RULES = {
    "total = a + b + fee",
    "hhmm = minute + 100 * hour",
    "sub -> grade",
    "low = 1 if weight < 2500, else 0",
    "lower <= upper",
    "month = day.month",
}


@pytest.fixture(scope="module")
def ruled():
    return ruled_table()


@pytest.fixture(scope="module")
def model(ruled):
    return VAEAugmenter(**FAST).fit(ruled)


def _broken(schema, frame):
    """How many rows break each rule of ``schema``."""
    return {rule.describe(): int((~rule.holds(frame)).sum()) for rule in schema.rules}


def test_every_known_rule_is_found_and_enforced(model):
    enforced = {rule.describe() for rule in model.schema_.enforced}
    assert KNOWN_RULES <= enforced
    assert model.schema_.columns["id"] == "key"
    # "noise" takes part in no rule.
    assert not any("noise" in rule.columns for rule in model.schema_.rules)


def test_generated_rows_keep_every_rule(model):
    sample, _ = model.sample(3000, random_state=1)
    assert _broken(model.schema_, sample) == dict.fromkeys(
        _broken(model.schema_, sample), 0
    )
    assert set(sample.columns) == set(model.feature_names_in_)


def test_reconstructed_and_imputed_rows_keep_every_rule(model, ruled):
    reconstructed = model.transform(ruled)
    assert sum(_broken(model.schema_, reconstructed).values()) == 0
    assert reconstructed["id"].tolist() == ruled["id"].tolist()  # a row keeps its key
    holes = ruled.copy()
    rng = np.random.default_rng(3)
    for column in ("a", "hour", "sub", "weight", "lower"):
        holes.loc[rng.random(len(holes)) < 0.2, column] = None
    # Rules are learned on complete rows; a table fitted with holes keeps only the rules
    # whose column is missing exactly where an input is (see the schema's reasons).
    imputer = VAEImputer(VAEAugmenter(**FAST)).fit(ruled)
    for sample_posterior in (False, True):
        imputer.set_params(sample_posterior=sample_posterior)
        filled = imputer.transform(holes)
        assert sum(_broken(model.schema_, filled).values()) == 0
        observed = holes.notna()
        pd.testing.assert_frame_equal(filled[observed], holes[observed], check_dtype=False)


def test_a_given_dependent_cell_makes_the_free_inputs_agree(model):
    rows, _ = model.sample(500, given={"grade": "B", "low": 1}, random_state=2)
    assert (rows["grade"] == "B").all() and rows["sub"].isin(["B1", "B2"]).all()
    assert (rows["low"] == 1).all() and (rows["weight"] < 2500).all()
    rows, _ = model.sample(200, given={"total": 250.0}, random_state=2)
    assert np.allclose(rows["a"] + rows["b"] + rows["fee"], 250.0, atol=0.011)


def test_generated_keys_are_fresh_unique_and_in_the_training_format(model, ruled, tmp_path):
    sample, _ = model.sample(1000, random_state=4)
    keys = sample["id"]
    assert keys.is_unique and not keys.isin(ruled["id"]).any()
    assert keys.str.fullmatch(r"C\d{5}").all()
    path = tmp_path / "rows.parquet"
    model.sample_to_parquet(path, 1000, row_group_rows=256, random_state=4)
    written = pd.read_parquet(path)
    assert written["id"].is_unique and sum(_broken(model.schema_, written).values()) == 0


def test_pattern_keys_keep_the_shape_and_never_repeat_a_training_key():
    rng = np.random.default_rng(0)
    ids = [
        f"{a}{b}-{rng.integers(0, 10**4):04d}" for a, b in rng.choice(list("XYZ"), (60, 2))
    ]
    table = pd.DataFrame({"code": pd.Series(ids).drop_duplicates().values})
    table["x"] = rng.normal(size=len(table))
    model = VAEAugmenter(**FAST).fit(table)
    assert model.schema_.columns["code"] == "key"
    sample, _ = model.sample(500, random_state=0)
    assert sample["code"].str.fullmatch(r"[A-Z]{2}-\d{4}").all()
    assert sample["code"].is_unique and not sample["code"].isin(table["code"]).any()


@pytest.mark.parametrize("seed", range(5))
def test_no_rule_on_independent_random_columns(seed):
    rng = np.random.default_rng(seed)
    n = 500
    table = pd.DataFrame(
        {
            **{f"x{i}": rng.normal(size=n).round(2) for i in range(4)},
            **{f"count{i}": rng.poisson(3 + 5 * i, n) for i in range(4)},
            **{f"flag{i}": rng.integers(0, 2, n) for i in range(2)},
            **{f"cat{i}": rng.choice(list("abcd"), n) for i in range(3)},
            "when": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 900, n), "D"),
        }
    )
    structure = learn_structure(table)
    assert structure.rules == [] and "key" not in structure.kinds


def test_schema_shows_kinds_and_rules_and_gives_plain_data(model):
    text = repr(model.schema_)
    assert re.search(r"\n  id +key \('C' \+ 5-digit number \+ ''\)\n", text)
    assert "enforced  sub -> grade" in text
    data = model.schema_.to_dict()
    assert (
        data["columns"]["day"] == "datetime" and data["columns"]["grade"] == "categorical"
    )
    rule = next(r for r in data["rules"] if r["rule"] == "lower <= upper")
    assert rule == {**rule, "kind": "order", "enforced": True, "support": N, "weak": False}


def test_rules_none_turns_rules_off_and_drop_removes_one(ruled):
    off = VAEAugmenter(**FAST, rules=None).fit(ruled)
    assert off.schema_.rules == []
    dropped = VAEAugmenter(**FAST, rules={"drop": ["sub -> grade"]}).fit(ruled)
    assert "sub -> grade" not in {r.describe() for r in dropped.schema_.rules}
    assert "lower <= upper" in {r.describe() for r in dropped.schema_.rules}


def test_a_declared_rule_is_enforced(ruled):
    table = ruled[["a", "b", "noise"]].assign(c=lambda t: t.a + t.b + 1)
    model = VAEAugmenter(**FAST, rules={"add": ["c >= a"], "discover": False}).fit(table)
    assert [r.describe() for r in model.schema_.enforced] == ["a <= c"]
    sample, _ = model.sample(1000, random_state=0)
    assert (sample["a"] <= sample["c"]).all()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rules": {"add": ["a <= noise"]}}, r"'a <= noise' is broken by \d+ of 400"),
        ({"rules": {"add": ["a <= nope"]}}, "names 'nope', which is not a column"),
        ({"rules": {"add": ["a << b"]}}, "cannot read it"),
        ({"rules": {"drop": ["a <= b"]}}, "'a <= b', which fit did not find"),
        ({"rules": {"add": ["noise -> grade"]}}, "'grade' changes .* times along"),
        ({"rules": {"add": ["sub -> hour"]}}, r"broken by \d+ of 400 training rows: some"),
        ({"rules": "everything"}, "The 'rules' parameter of VAEAugmenter must be"),
        ({"rules": {"add": "a <= b"}}, "must be a list of rules as text"),
        (
            {"column_kinds": {"grade": "key"}},
            r"'grade'\] is 'key', but column 'grade' is not unique",
        ),
        ({"column_kinds": {"sub": "numeric"}}, "holds .* values that are not numbers"),
        ({"column_kinds": {"nope": "key"}}, "names column 'nope', which is not a column"),
        ({"column_kinds": {"a": "text"}}, r"choose one of \['auto', 'categorical'"),
        ({"rules": {"add": ["id <= a"]}}, "involves column 'id', a key column"),
    ],
)
def test_bad_structure_parameters_are_refused_by_name(ruled, params, message):
    with pytest.raises((ValueError, TypeError), match=message):
        VAEAugmenter(**FAST, **params).fit(ruled)


def test_a_key_given_as_the_target_is_refused(ruled):
    with pytest.raises(ValueError, match="a different value in every one of its 400 rows"):
        VAEAugmenter(**FAST).fit(ruled.drop(columns="id"), ruled["id"])


def test_column_kinds_override_what_fit_infers(ruled):
    model = VAEAugmenter(
        **FAST, column_kinds={"id": "categorical", "hour": "categorical"}
    ).fit(ruled)
    assert model.schema_.columns["id"] == "categorical"
    assert model.schema_.columns["hour"] == "categorical"
    sample, _ = model.sample(200, random_state=0)
    assert sample["hour"].isin(ruled["hour"]).all()


def test_a_saved_model_keeps_its_structure(model, tmp_path):
    from vae_augment import load

    path = tmp_path / "model.vae"
    model.save(path)
    loaded = load(path)
    assert repr(loaded.schema_) == repr(model.schema_)
    first, _ = model.sample(300, random_state=5)
    again, _ = loaded.sample(300, random_state=5)
    pd.testing.assert_frame_equal(first, again)


def test_whole_numbers_on_a_grid_are_generated_on_it_also_as_an_upper_column():
    rng = np.random.default_rng(0)
    paid = rng.integers(0, 400, 300)
    table = pd.DataFrame(
        {"paid": paid, "amount": 25 * (paid // 25 + rng.integers(1, 12, 300))}
    )
    model = VAEAugmenter(**FAST).fit(table)
    assert [r.describe() for r in model.schema_.enforced] == ["paid <= amount"]
    assert model.model_.table.codec.columns[1].step == 25
    sample, _ = model.sample(2000, random_state=0)
    assert (sample["amount"] % 25 == 0).all() and (sample["paid"] <= sample["amount"]).all()


def joined_table(n=N, seed=0):
    """Rules that meet on one column: ``grade`` follows from ``sub`` and is also a
    threshold on ``rate``; ``stamp`` is made of its part columns (working hours
    only); ``income <= income_joint`` where the joint income is given."""
    rng = np.random.default_rng(seed)
    sub = rng.choice(["A1", "A2", "B1", "B2", "C1"], n)
    band = {"A": (5.0, 3.9), "B": (10.0, 3.9), "C": (16.0, 1.9)}
    rate = np.round([band[s[0]][0] + rng.uniform(0, band[s[0]][1]) for s in sub], 2)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    hour = rng.integers(8, 18, n)
    income = np.round(rng.gamma(3.0, 20_000.0, n), -2)
    extra = np.round(rng.gamma(2.0, 9_000, n), -2)
    joint = np.where(rng.random(n) < 0.3, income + extra, np.nan)
    stamp = pd.to_datetime(
        pd.DataFrame({"year": 2024, "month": month, "day": day, "hour": hour})
    ).dt.tz_localize("Europe/Paris")
    return pd.DataFrame(
        {
            "sub": sub,
            "grade": [s[0] for s in sub],
            "rate": rate,
            "stamp": stamp,
            "month": month,
            "day": day,
            "hour": hour,
            "income": income,
            "income_joint": joint,
        }
    )


JOINED_RULES = {
    "sub -> grade",
    "grade = 'A' if rate < 10, 'B' if rate < 14, else 'C'",
    "stamp = datetime(2024, month, day, hour, 0, 0) in Europe/Paris",
    "income <= income_joint",
}


@pytest.fixture(scope="module")
def joined():
    return joined_table()


@pytest.fixture(scope="module")
def joined_model(joined):
    return VAEAugmenter(**FAST).fit(joined)


def _in_band(rows):
    """Whether each row's rate lies in its grade's band (as in :func:`joined_table`)."""
    bands = {"A": (5.0, 8.9), "B": (10.0, 13.9), "C": (16.0, 17.9)}
    low = rows["grade"].map(lambda g: bands[g][0]).astype(float)
    high = rows["grade"].map(lambda g: bands[g][1]).astype(float)
    return (rows["rate"] >= low) & (rows["rate"] <= high)


def test_rules_that_meet_on_one_column_are_all_enforced(joined_model, joined):
    assert JOINED_RULES <= {r.describe() for r in joined_model.schema_.enforced}
    sample, _ = joined_model.sample(3000, random_state=1)
    assert sum(_broken(joined_model.schema_, sample).values()) == 0
    assert _in_band(sample).all()
    # the datetime is made of its parts: never missing, only the training hours
    assert sample["stamp"].notna().all() and sample["hour"].between(8, 17).all()
    assert str(sample["stamp"].dtype) == str(joined["stamp"].dtype)
    assert (sample["stamp"].dt.hour == sample["hour"]).all()
    # a joint income where the training rows have one (30 %), never below the income
    assert abs(sample["income_joint"].notna().mean() - 0.3) < 0.1


def test_rules_that_meet_on_one_column_hold_with_given_cells(joined_model, joined):
    rows, _ = joined_model.sample(300, given={"rate": 11.5}, random_state=2)
    assert (rows["rate"] == 11.5).all() and (rows["grade"] == "B").all()
    assert rows["sub"].isin(["B1", "B2"]).all()
    rows, _ = joined_model.sample(300, given={"grade": "C"}, random_state=2)
    assert (rows["sub"] == "C1").all() and _in_band(rows).all()
    when = joined["stamp"].iloc[0]
    rows, _ = joined_model.sample(100, given={"stamp": when}, random_state=2)
    assert (rows["stamp"] == when).all()
    assert (rows[["month", "day", "hour"]] == [when.month, when.day, when.hour]).all().all()
    reconstructed = joined_model.transform(joined)
    assert sum(_broken(joined_model.schema_, reconstructed).values()) == 0
    holes = joined.copy()
    holes.loc[::3, ["rate", "hour", "sub"]] = None
    filled = VAEImputer(VAEAugmenter(**FAST)).fit(joined).transform(holes)
    assert sum(_broken(joined_model.schema_, filled).values()) == 0
    assert _in_band(filled).all()


def test_a_datetime_made_of_parts_moves_free_parts_into_a_real_date():
    from vae_augment.table.structure.dates import DateRule

    rule = DateRule(
        "when", ("month", "day"), parts=("month", "day"), fill=(2023, 0, 0, 0, 0, 0)
    )
    frame = pd.DataFrame({"month": [4, 2, 2], "day": [31, 30, 30]})
    free = pd.DataFrame({"month": True, "day": [True, True, False]}, index=frame.index)
    rule.settle(frame, free)
    assert frame["day"].tolist() == [30, 28, 30]  # a given day is not moved ...
    assert frame["month"].tolist() == [4, 2, 3]  # ... its free month is
    assert rule.derive(frame).tolist() == [
        pd.Timestamp("2023-04-30"),
        pd.Timestamp("2023-02-28"),
        pd.Timestamp("2023-03-30"),
    ]


def test_a_saved_model_keeps_rules_that_meet_on_one_column(joined_model, tmp_path):
    from vae_augment import load

    path = tmp_path / "joined.vae"
    joined_model.save(path)
    loaded = load(path)
    assert repr(loaded.schema_) == repr(joined_model.schema_)
    first, _ = joined_model.sample(300, random_state=5)
    pd.testing.assert_frame_equal(first, loaded.sample(300, random_state=5)[0])


def test_a_placed_number_keeps_its_spread_inside_its_label(joined_model, joined):
    sample, _ = joined_model.sample(3000, random_state=6)
    for grade, real in joined.groupby("grade")["rate"]:
        made = sample.loc[sample["grade"] == grade, "rate"]
        assert made.nunique() > 20, grade  # not pinned to the ends of the range
        assert made.std() > 0.6 * real.std(), grade


def test_a_placed_number_alone_still_conditions_the_model(joined_model):
    structure = joined_model.model_.table.codec.structure
    place = structure.modelled(pd.DataFrame({"rate": [11.5, np.nan]}))["rate"]
    assert 0 < place.iloc[0] < 1 and np.isnan(place.iloc[1])


def test_imputing_a_row_with_a_level_never_seen_fills_its_placed_number(joined):
    rows = joined.head(4).copy()
    rows["sub"] = rows["sub"].astype(object)
    rows.loc[rows.index[0], ["sub", "grade", "rate"]] = ["Z9", None, np.nan]
    imputer = VAEImputer(VAEAugmenter(**FAST)).fit(joined)
    with pytest.warns(DataWarning, match="never seen in fit"):
        filled = imputer.transform(rows)
    assert filled["rate"].notna().all()


def test_a_found_rule_is_dropped_by_the_text_the_schema_shows(joined):
    text = "stamp = datetime(2024, month, day, hour, 0, 0) in Europe/Paris"
    structure = learn_structure(joined, rules={"drop": [text]})
    assert text not in {r.describe() for r in structure.rules}
    assert "hour = stamp.hour" in {r.describe() for r in structure.enforced}


def test_a_mapping_rule_derives_the_same_labels_in_the_columns_dtype():
    rule = MappingRule(
        "grade",
        ("sub_grade",),
        source_levels=np.array(["A1", "A2", "B1"], dtype=object),
        dependent_levels=np.array(["A", "A", "B"], dtype=object),
        counts=np.array([5, 5, 5]),
    )
    spec = SimpleNamespace(
        dtype=pd.CategoricalDtype(["A", "B"]),
        kind="categorical",
        time_unit=None,
        decimals=None,
    )
    categories = ["A1", "A2", "B1", "Z9"]  # Z9: a level the rule never saw
    frame = pd.DataFrame(
        {"sub_grade": pd.Categorical(["B1", "A2", "A1", "B1"], categories=categories)}
    )
    typed = rule.derive_typed(frame, spec)
    assert typed.dtype == spec.dtype
    assert typed.tolist() == list(rule.derive(frame)) == ["B", "A", "A", "B"]
    # An unseen or missing source leaves the label missing.
    holes = pd.DataFrame(
        {"sub_grade": pd.Categorical(["Z9", None, "A1"], categories=categories)}
    )
    assert rule.derive_typed(holes, spec).isna().tolist() == [True, True, False]
    assert rule.derive_typed(holes, spec).dtype == spec.dtype
