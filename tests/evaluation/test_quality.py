"""Quality scores: SDMetrics' definitions, detection, privacy, holdout ceiling, TSTR."""

import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import make_mixed_frame

from vae_augment import DataWarning, QualityReport, quality_report


def correlated_table(n_rows: int = 400, seed: int = 0) -> pd.DataFrame:
    """Numbers, a level and a datetime that depend on each other, with missing values."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n_rows)
    frame = pd.DataFrame(
        {
            "a": a,
            "b": a + rng.normal(scale=0.3, size=n_rows),
            "c": pd.Categorical(
                np.where(a + rng.normal(scale=0.3, size=n_rows) > 0, "hi", "lo")
            ),
            "when": pd.Timestamp("2021-01-01")
            + pd.to_timedelta(np.round(30 * a).astype(int) + 100, "D"),
        }
    )
    frame.loc[rng.random(n_rows) < 0.1, "b"] = np.nan
    return frame


@pytest.fixture(scope="module")
def real():
    return correlated_table(seed=0)


@pytest.fixture(scope="module")
def holdout():
    return correlated_table(seed=1)


@pytest.fixture(scope="module")
def fresh():
    """New rows from the real distribution: what a perfect generator gives."""
    return correlated_table(seed=2)


def test_identical_tables_score_as_well_as_possible(real):
    report = quality_report(real, real, random_state=0)
    assert report.column_shapes == report.column_pair_trends == report.overall == 1.0
    assert report.missing_values == 1.0
    assert report.copies == 1.0
    assert report.detection_auc == pytest.approx(0.5, abs=0.1)
    assert report.dcr_ratio is None and report.holdout is None and report.tstr is None
    assert list(report.columns["kind"]) == ["numeric", "numeric", "categorical", "numeric"]
    assert list(report.columns["metric"]) == [
        "KSComplement",
        "KSComplement",
        "TVComplement",
        "KSComplement",
    ]
    assert len(report.pairs) == 6 and report.pairs["counted"].all()


def test_unrelated_data_scores_low(real):
    rng = np.random.default_rng(3)
    noise = pd.DataFrame(
        {
            "a": rng.uniform(5, 6, 400),
            "b": rng.uniform(-9, -8, 400),
            "c": pd.Categorical(rng.choice(["hi", "lo"], 400, p=[0.95, 0.05])),
            "when": pd.Timestamp("2030-01-01")
            + pd.to_timedelta(rng.integers(0, 9, 400), "D"),
        }
    )
    report = quality_report(real, noise, random_state=0)
    assert report.column_shapes < 0.4
    assert report.column_pair_trends < 0.7
    assert report.detection_auc > 0.99
    assert report.copies == 0.0


def test_broken_relations_lower_pair_trends_and_are_detected(real):
    rng = np.random.default_rng(1)
    shuffled = real.apply(lambda column: column.sample(frac=1, random_state=rng).to_numpy())
    report = quality_report(real, shuffled, random_state=0)
    assert report.column_shapes == 1.0
    assert report.column_pair_trends < 0.7
    assert report.detection_auc > 0.8


def test_fresh_rows_from_the_real_distribution_score_near_their_ceiling(
    real, holdout, fresh
):
    report = quality_report(real, fresh, holdout=holdout, random_state=0)
    for name in ("column_shapes", "column_pair_trends", "detection_auc"):
        assert getattr(report, name) == pytest.approx(
            getattr(report.holdout, name), abs=0.1
        )
    assert report.column_shapes > 0.9 and report.detection_auc < 0.65
    assert report.copies == report.holdout.copies == 0.0


def test_shapes_ignore_missing_values_as_sdmetrics_does(real):
    fake = real.assign(c=real["c"].where(real.index % 2 == 0))
    report = quality_report(real, fake, random_state=0)
    columns = report.columns.set_index("column")
    assert columns.loc["c", "missing_synthetic"] == pytest.approx(0.5)
    assert columns.loc["c", "score"] == pytest.approx(1.0, abs=0.05)
    assert report.missing_values == pytest.approx(1 - 0.5 / 4)


def test_column_scores_follow_the_definitions():
    real = pd.DataFrame({"n": [1.0, 2.0, 3.0, 4.0], "t": ["x", "x", "y", "y"]})
    synthetic = pd.DataFrame({"n": [1.0, 2.0, 3.0, 9.0], "t": ["x", "x", "x", "y"]})
    scores = quality_report(real, synthetic, random_state=0).columns["score"]
    assert list(scores) == [pytest.approx(0.75), pytest.approx(0.75)]  # 1 - KS, 1 - TV


def test_weak_real_trends_are_scored_but_not_counted():
    rng = np.random.default_rng(0)
    x = rng.normal(size=500)
    real = pd.DataFrame({"x": x, "y": 0.2 * x + rng.normal(size=500)})
    report = quality_report(real, real.assign(y=-real["y"]), random_state=0)
    pair = report.pairs.iloc[0]
    assert pair.metric == "CorrelationSimilarity" and not pair.counted
    assert pair.real_correlation == pytest.approx(-pair.synthetic_correlation)
    assert pair.score == pytest.approx(1 - abs(pair.real_correlation))
    assert np.isnan(report.column_pair_trends)  # no pair with a trend in the real rows
    assert report.overall == report.column_shapes


def test_holdout_gives_the_ceiling(real, holdout, fresh):
    report = quality_report(real, fresh, holdout=holdout, random_state=0)
    ceiling = report.holdout
    assert isinstance(ceiling, QualityReport) and ceiling.holdout is None
    assert ceiling.synthetic_rows == len(holdout) and ceiling.dcr_ratio == 1.0
    assert report.dcr_ratio == pytest.approx(1.0, abs=0.25)
    assert ceiling.column_shapes > 0.9 and ceiling.detection_auc < 0.65
    summary = report.summary()
    assert summary.loc["column shapes", "holdout ceiling"] == ceiling.column_shapes
    assert summary.loc["DCR ratio", "synthetic"] == report.dcr_ratio


def test_memorised_rows_show_as_copies_and_a_low_dcr_ratio(real, holdout):
    report = quality_report(real, real.sample(300, random_state=0), holdout=holdout)
    assert report.copies == 1.0 and report.dcr_ratio == 0.0
    assert report.holdout.copies == 0.0


def test_tstr_for_a_numeric_target(real, holdout, fresh):
    report = quality_report(real, fresh, holdout=holdout, target="a", random_state=0)
    assert report.target == "a"
    for scores in (report.tstr, report.trtr):
        assert scores.task == "regression" and scores.tested_on == "holdout"
        assert scores.r2 > 0.8 and scores.balanced_accuracy is None
    without = quality_report(real, fresh, target="a", random_state=0)
    assert without.tstr.tested_on == without.trtr.tested_on == "real"
    assert without.trtr.r2 > 0.8  # cross-validated, not scored on its training rows
    assert "TSTR R² (a)" in without.summary().index


def test_tstr_for_class_labels(real, holdout, fresh):
    lost = fresh.assign(c=fresh["c"].sample(frac=1, random_state=0).to_numpy())
    report = quality_report(real, lost, holdout=holdout, target="c", random_state=0)
    assert report.tstr.task == "classification" and report.tstr.r2 is None
    assert report.trtr.roc_auc > 0.9 and report.trtr.balanced_accuracy > 0.8
    assert report.tstr.roc_auc < 0.7  # the labels no longer depend on the features
    summary = report.summary()
    assert summary.loc["TSTR ROC AUC (c)", "holdout ceiling"] == report.trtr.roc_auc


@pytest.mark.parametrize(
    ("values", "task"),
    [([0, 1] * 50, "classification"), (list(range(100)), "regression")],
    ids=["few whole numbers", "many whole numbers"],
)
def test_a_numeric_target_is_classes_only_with_few_whole_numbers(values, task):
    rng = np.random.default_rng(0)
    table = pd.DataFrame({"x": rng.normal(size=100), "y": values})
    assert quality_report(table, table, target="y", random_state=0).tstr.task == task


def test_a_seed_gives_the_same_report(real, fresh):
    first, second = (
        quality_report(real, fresh, target="c", random_state=3) for _ in range(2)
    )
    assert first.detection_auc == second.detection_auc
    assert first.tstr == second.tstr


def test_mixed_table_with_every_column_kind():
    X, y = make_mixed_frame()
    real, other = X.assign(risk=y), make_mixed_frame(seed=1)[0].assign(risk=y)
    held_out, held_out_y = make_mixed_frame(seed=2)
    report = quality_report(
        real, other, holdout=held_out.assign(risk=held_out_y), target="risk", random_state=0
    )
    assert report.columns["score"].notna().all() and report.pairs["score"].notna().all()
    assert 0.4 < report.detection_auc < 0.7 and report.holdout.copies < 0.5
    assert report.tstr.balanced_accuracy is not None


def test_a_single_column_has_no_pair_trends():
    real = pd.DataFrame({"a": np.arange(20.0)})
    report = quality_report(real, real + 0.5, random_state=0)
    assert len(report.pairs) == 0 and np.isnan(report.column_pair_trends)
    assert report.overall == report.column_shapes < 1


def test_text_view_is_a_table_with_the_ceiling(real, holdout):
    report = quality_report(real, holdout, holdout=holdout, target="c", random_state=0)
    text = str(report)
    assert repr(report) == text
    assert text.startswith(f"Quality of {len(holdout)} synthetic rows against 400 real")
    header = text.splitlines()[1].split()
    assert header == ["synthetic", "holdout", "ceiling", "best"]
    for label in ("column shapes", "detection AUC", "DCR ratio", "TSTR ROC AUC (c)"):
        assert label in text
    assert "holdout ceiling: the held-out real rows" in text


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"target": "z"}, r"target 'z' is not a column of real \(its columns: a, b, c"),
        (
            {"synthetic": "without c", "target": "c"},
            "target 'c' is not a column of synthetic",
        ),
        (
            {"holdout": "without a"},
            "holdout must have the columns of real; it lacks column 'a'",
        ),
        (
            {"synthetic": "extra"},
            "synthetic must have the columns of real; it has the extra",
        ),
        ({"synthetic": "empty"}, "synthetic has no rows"),
        ({"holdout": "empty"}, "holdout has no rows"),
        ({"synthetic": "when as numbers"}, "column 'when' holds datetimes in real but"),
        ({"random_state": "seed"}, "random_state must be None, an integer"),
    ],
    ids=lambda value: None if isinstance(value, dict) else value[:24],
)
def test_bad_input_is_named(real, kwargs, match):
    variants = {
        "without c": real.drop(columns="c"),
        "without a": real.drop(columns="a"),
        "extra": real.assign(d=1.0),
        "empty": real.iloc[:0],
        "when as numbers": real.assign(when=np.arange(len(real), dtype=float)),
    }
    kwargs = {key: variants.get(value, value) for key, value in kwargs.items()}
    synthetic = kwargs.pop("synthetic", real)
    with pytest.raises(ValueError, match=match):
        quality_report(real, synthetic, **kwargs)


def test_a_target_needs_other_columns_and_values():
    real = pd.DataFrame({"y": ["a", "b"] * 10})
    with pytest.raises(ValueError, match="target 'y' is the only column of real"):
        quality_report(real, real, target="y")
    real = pd.DataFrame({"x": np.arange(20.0), "y": ["a", "b"] * 10})
    with pytest.raises(ValueError, match="target 'y' has 0 values in synthetic"):
        quality_report(real, real.assign(y=np.nan), target="y")


def test_a_holdout_taken_from_the_real_rows_is_flagged():
    rng = np.random.default_rng(0)
    real = pd.DataFrame({"a": rng.normal(size=200), "b": rng.choice(["x", "y"], 200)})
    with pytest.warns(DataWarning, match="holdout rows are also rows of real"):
        quality_report(real, real.sample(50, random_state=1), holdout=real.sample(60))
    unseen = pd.DataFrame({"a": rng.normal(size=60), "b": rng.choice(["x", "y"], 60)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        quality_report(real, real.sample(50, random_state=1), holdout=unseen)
