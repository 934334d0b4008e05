"""The bad-input matrix: every public entry point answers odd tables clearly.

Each case either works -- and then its output keeps the training schema and holds no
NaN or infinity that the training data did not have -- or raises a ``ValueError`` /
``TypeError`` whose message names the column or parameter at fault, never a torch
error. The tables below are the matrix; their ids are the case names.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import FAST
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from vae_augment import AugmentedEstimator, VAEAugmenter, VAEResampler

TINY = {**FAST, "max_epochs": 2}
N_ROWS = 60


@dataclass(frozen=True)
class Raises:
    """The expected outcome of a case that must fail."""

    error: type
    match: str


@dataclass(frozen=True)
class Works:
    """The expected outcome of a case that must work (what the test checks)."""

    outcome: str


def make_frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": rng.normal(size=N_ROWS),
            "n": rng.integers(0, 5, N_ROWS),
            "c": rng.choice(["a", "b"], N_ROWS),
        }
    )


LABELS = np.arange(N_ROWS) % 2
IMBALANCED = np.r_[np.zeros(45, dtype=int), np.ones(15, dtype=int)]


@pytest.fixture(scope="module")
def frame():
    return make_frame()


@pytest.fixture(scope="module")
def augmenter(frame):
    return VAEAugmenter(**TINY).fit(frame, LABELS)


def assert_same_schema(result: pd.DataFrame, reference: pd.DataFrame) -> None:
    """Columns and dtypes of ``reference``; numbers finite; NaN only where it had NaN."""
    assert list(result.columns) == list(reference.columns)
    pd.testing.assert_series_equal(result.dtypes, reference.dtypes)
    for column in reference.columns:
        if not reference[column].isna().any():
            assert result[column].notna().all(), column
        if pd.api.types.is_float_dtype(reference[column]):
            assert np.isfinite(result[column].dropna()).all(), column


def assert_usable(augmenter: VAEAugmenter, X) -> None:
    """Samples and reconstructions keep the schema of ``X``; scores are finite."""
    frame = pd.DataFrame(X)
    sample = pd.DataFrame(augmenter.sample(40, random_state=0)[0])
    assert sample.shape == (40, frame.shape[1])
    reconstructed = pd.DataFrame(augmenter.transform(X))
    assert reconstructed.shape == frame.shape
    assert not reconstructed.isna().any().any()
    if isinstance(X, pd.DataFrame):
        assert_same_schema(sample, X)
        assert_same_schema(reconstructed, X)
    assert np.isfinite(augmenter.score_samples(X)).all()


def check(outcome, action, on_success=None):
    """Run ``action``; assert it raises as ``outcome`` says, or works and passes checks."""
    if isinstance(outcome, Raises):
        with pytest.raises(outcome.error, match=outcome.match):
            action()
        return
    result = action()
    if on_success is not None:
        on_success(result)


# --------------------------------------------------------------------- fit: X
def mixed_objects(f):
    return f.assign(c=np.array([1, "a", 2.5, None, b"x"] * (N_ROWS // 5), dtype=object))


FIT_TABLES = [
    pytest.param(
        lambda f: "data.csv", Raises(FileNotFoundError, "X names 'data.csv'"), id="str"
    ),
    pytest.param(lambda f: None, Raises(TypeError, "X must be a 2-D"), id="None"),
    pytest.param(lambda f: 3.0, Raises(TypeError, "X must be a 2-D"), id="scalar"),
    pytest.param(lambda f: {"x": [1, 2]}, Raises(TypeError, "X must be a 2-D"), id="dict"),
    pytest.param(
        lambda f: __import__("scipy").sparse.csr_matrix(np.eye(3)),
        Raises(TypeError, "sparse"),
        id="sparse-matrix",
    ),
    pytest.param(lambda f: f["x"], Raises(ValueError, "Expected 2D"), id="Series"),
    pytest.param(lambda f: f["x"].to_numpy(), Raises(ValueError, "Expected 2D"), id="1-D"),
    pytest.param(
        lambda f: np.zeros((3, 3, 3)), Raises(ValueError, "Expected 2D"), id="3-D"
    ),
    pytest.param(lambda f: f.iloc[:0], Raises(ValueError, "0 sample"), id="0-rows"),
    pytest.param(lambda f: f.iloc[:1], Raises(ValueError, "n_samples = 1"), id="1-row"),
    pytest.param(lambda f: f.iloc[:, :0], Raises(ValueError, "0 feature"), id="0-columns"),
    pytest.param(
        lambda f: f.astype({"x": complex}).to_numpy(),
        Raises(ValueError, "Complex data"),
        id="complex",
    ),
    pytest.param(
        lambda f: f.assign(x=np.inf), Raises(ValueError, "'x' contains infinity"), id="inf"
    ),
    pytest.param(
        lambda f: f.assign(x=-np.inf),
        Raises(ValueError, "'x' contains infinity"),
        id="-inf",
    ),
    pytest.param(
        lambda f: f.assign(x=np.nan),
        Raises(ValueError, "'x' has no observed values"),
        id="all-NaN-column",
    ),
    pytest.param(
        lambda f: f.assign(c=[[1]] * N_ROWS),
        Raises(TypeError, "'c' holds unhashable"),
        id="lists-in-cells",
    ),
    pytest.param(
        lambda f: f.assign(c=[{"k": 1}] * N_ROWS),
        Raises(TypeError, "'c' holds unhashable"),
        id="dicts-in-cells",
    ),
    pytest.param(
        lambda f: f.set_axis(["x", "x", "c"], axis=1),
        Raises(ValueError, r"duplicate column names: \['x'\]"),
        id="duplicate-names",
    ),
    pytest.param(
        lambda f: f.set_axis(["x", 1, "c"], axis=1),
        Raises(TypeError, "Feature names are only supported if all input features have"),
        id="mixed-str-int-names",
    ),
    pytest.param(
        lambda f: f.assign(x=np.r_[-1.7e308, 1.7e308, f["x"][2:]]),
        Raises(ValueError, "'x' spans .* wider than the largest float64"),
        id="range-beyond-float64",
    ),
    pytest.param(
        lambda f: f.assign(n=np.array([2**64 - 1, *f["n"][1:]], dtype=np.uint64)),
        Raises(ValueError, "'n' holds integers beyond the int64 range"),
        id="uint64-beyond-int64",
    ),
    pytest.param(
        lambda f: f.set_axis([0, 1, 2], axis=1), Works("fits"), id="integer-names"
    ),
    pytest.param(mixed_objects, Works("fits; one category per value"), id="mixed-objects"),
    pytest.param(
        lambda f: f.assign(c=[b"a", b"b"] * (N_ROWS // 2)),
        Works("fits; bytes are categories"),
        id="bytes",
    ),
    pytest.param(
        lambda f: f.assign(x=f["x"] * 1e300, tiny=f["x"] * 1e-300),
        Works("fits; samples finite"),
        id="1e300",
    ),
    pytest.param(
        lambda f: f.assign(
            n=np.r_[np.iinfo(np.int64).min, np.iinfo(np.int64).max, f["n"][2:]]
        ),
        Works("fits; integers stay in range"),
        id="int64-extremes",
    ),
    pytest.param(
        lambda f: f.assign(k=3.0, level="only", day=pd.Timestamp("2024-01-01")),
        Works("fits; constants stay constant"),
        id="constant-columns",
    ),
    pytest.param(
        lambda f: f.assign(c=pd.Categorical(f["c"], categories=["a", "b", "never"])),
        Works("fits; unused category kept in the dtype"),
        id="unused-category",
    ),
    pytest.param(lambda f: f.to_numpy(), Works("fits"), id="object-array"),
    pytest.param(
        lambda f: f[["x", "n"]].to_numpy().tolist(), Works("fits"), id="list-of-lists"
    ),
    pytest.param(
        lambda f: torch.tensor(f[["x"]].to_numpy()), Works("fits"), id="torch-tensor"
    ),
]


@pytest.mark.parametrize(("make_X", "outcome"), FIT_TABLES)
def test_fit_tables(frame, make_X, outcome):
    X = make_X(frame)
    check(outcome, lambda: VAEAugmenter(**TINY).fit(X), lambda aug: assert_usable(aug, X))


def test_mixed_object_values_come_back_as_themselves(frame):
    X = mixed_objects(frame)
    sample, _ = VAEAugmenter(**TINY).fit(X).sample(200, random_state=0)
    assert set(sample["c"].dropna()) <= {1, "a", 2.5, b"x"}


def test_constants_stay_constant(frame):
    X = frame.assign(k=3.0, level="only")
    sample, _ = VAEAugmenter(**TINY).fit(X).sample(50, random_state=0)
    assert (sample["k"] == 3.0).all() and (sample["level"] == "only").all()


def test_int64_extremes_stay_integers_in_range(frame):
    info = np.iinfo(np.int64)
    X = frame.assign(n=np.r_[info.min, info.max, frame["n"][2:]])
    sample, _ = VAEAugmenter(**TINY).fit(X).sample(200, random_state=0)
    assert sample["n"].dtype == np.int64 and sample["n"].between(info.min, info.max).all()


@pytest.mark.parametrize("kind", ["auto", "categorical"])
def test_ten_thousand_level_categorical(kind):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"id": [f"u{i}" for i in range(10_000)], "x": rng.normal(size=10_000)})
    augmenter = VAEAugmenter(
        **{**TINY, "hidden_dims": (8,), "latent_dim": 2}, column_kinds={"id": kind}
    ).fit(X)
    sample, _ = augmenter.sample(1000, random_state=0)
    if kind == "auto":  # a key: fresh ids in the same format
        assert sample["id"].is_unique and not sample["id"].isin(X["id"]).any()
        assert sample["id"].str.fullmatch(r"u\d+").all()
    else:  # 10,000 levels, modelled
        assert sample["id"].isin(X["id"]).all() and sample["id"].nunique() > 500
    assert augmenter.transform(X.iloc[:500])["id"].isin(X["id"]).all()


def test_thousand_columns():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(100, 1000))).add_prefix("f")
    X["f0"] = rng.choice(["a", "b", "c"], 100)
    augmenter = VAEAugmenter(**TINY).fit(X)
    assert_usable(augmenter, X)


# --------------------------------------------------------------------- fit: y
FIT_TARGETS = [
    pytest.param(
        np.arange(59), Raises(ValueError, "y has 59 rows but X has 60"), id="short"
    ),
    pytest.param(
        np.where(LABELS, 1.0, np.nan), Raises(ValueError, "y contains 30 missing"), id="NaN"
    ),
    pytest.param(
        np.array(["a", None] * 30, dtype=object),
        Raises(ValueError, "y contains 30 missing"),
        id="None-label",
    ),
    pytest.param(
        np.full(N_ROWS, np.inf), Raises(ValueError, "y contains infinity"), id="inf"
    ),
    pytest.param(np.zeros((N_ROWS, 2)), Raises(ValueError, "y must be 1-D"), id="2-D"),
    pytest.param("label", Raises(ValueError, "y must be 1-D"), id="str"),
    pytest.param({"a": 1}, Raises(ValueError, "y must be 1-D"), id="dict"),
    pytest.param(
        np.array([1, "a"] * 30, dtype=object),
        Raises(ValueError, "Unknown label type: y"),
        id="mixed-types",
    ),
    pytest.param(np.zeros(N_ROWS, dtype=int), Works("one-class model"), id="single-class"),
    pytest.param(np.r_[np.zeros(59, dtype=int), 1], Works("fits"), id="class-with-one-row"),
    pytest.param(LABELS.astype(bool), Works("fits"), id="bool-labels"),
    pytest.param(
        pd.Series(pd.Categorical(np.array(["lo", "hi"])[LABELS])),
        Works("fits"),
        id="categorical-labels",
    ),
]


@pytest.mark.parametrize(("y", "outcome"), FIT_TARGETS)
def test_fit_targets(frame, y, outcome):
    check(
        outcome,
        lambda: VAEAugmenter(**TINY).fit(frame, y),
        lambda aug: assert_usable(aug, frame),
    )


def test_rare_class_can_be_generated(frame):
    augmenter = VAEAugmenter(**TINY).fit(frame, np.r_[np.zeros(59, dtype=int), 1])
    sample, y = augmenter.sample(y={1: 25}, random_state=0)
    assert len(sample) == 25 and (y == 1).all()
    assert_same_schema(sample, frame)


# ----------------------------------------------------------- hyper-parameters
def fake_cuda(monkeypatch, n_devices: int) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: n_devices > 0)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: n_devices)


PARAMETERS = [
    pytest.param({"latent_dim": -3}, Raises(ValueError, "latent_dim"), id="latent_dim<0"),
    pytest.param({"latent_dim": 0}, Raises(ValueError, "latent_dim"), id="latent_dim=0"),
    pytest.param(
        {"latent_dim": 2.5}, Raises(ValueError, "latent_dim"), id="latent_dim-float"
    ),
    pytest.param({"learning_rate": 0.0}, Raises(ValueError, "learning_rate"), id="lr=0"),
    pytest.param(
        {"learning_rate": np.nan}, Raises(ValueError, "learning_rate"), id="lr=NaN"
    ),
    pytest.param({"batch_size": 0}, Raises(ValueError, "batch_size"), id="batch_size=0"),
    pytest.param({"max_epochs": 0}, Raises(ValueError, "max_epochs"), id="max_epochs=0"),
    pytest.param({"beta": -1.0}, Raises(ValueError, "beta"), id="beta<0"),
    pytest.param(
        {"input_dropout": 1.0}, Raises(ValueError, "input_dropout"), id="dropout=1"
    ),
    pytest.param(
        {"target_dropout": 1.5}, Raises(ValueError, "target_dropout"), id="target-drop>1"
    ),
    pytest.param({"hidden_dims": (8, 0)}, Raises(ValueError, "hidden_dims"), id="hidden-0"),
    pytest.param({"hidden_dims": ()}, Raises(ValueError, "hidden_dims"), id="hidden-empty"),
    pytest.param(
        {"validation_fraction": 1.0},
        Raises(ValueError, "validation_fraction"),
        id="validation_fraction=1",
    ),
    pytest.param(
        {"device": "tpu"}, Raises(ValueError, "device='tpu'"), id="device-unknown"
    ),
    pytest.param({"device": "meta"}, Raises(ValueError, "device='meta'"), id="device-meta"),
    pytest.param({"device": 0}, Raises(ValueError, "device"), id="device-int"),
    pytest.param({"batch_size": 10_000}, Works("batch of all rows"), id="batch_size>rows"),
    pytest.param(
        {"validation_fraction": 0.01},
        Works("training loss monitored"),
        id="validation_fraction-no-rows",
    ),
]


@pytest.mark.parametrize(("params", "outcome"), PARAMETERS)
def test_parameters(frame, params, outcome):
    check(
        outcome,
        lambda: VAEAugmenter(**{**TINY, **params}).fit(frame),
        lambda aug: assert_usable(aug, frame),
    )


def test_no_validation_rows_means_training_loss_is_monitored(frame):
    augmenter = VAEAugmenter(**{**TINY, "validation_fraction": 0.01}).fit(frame)
    assert augmenter.validation_loss_curve_ == []
    assert augmenter.best_loss_ == min(augmenter.loss_curve_)


@pytest.mark.parametrize(
    ("device", "n_devices"),
    [("cuda", 0), ("cuda:0", 0), ("cuda:3", 1)],
    ids=["cuda-absent", "cuda:0-absent", "cuda:3-of-1"],
)
def test_cuda_requested_where_none_exists(monkeypatch, frame, device, n_devices):
    fake_cuda(monkeypatch, n_devices)
    with pytest.raises(ValueError, match=f"device='{device}' asks for CUDA device"):
        VAEAugmenter(**{**TINY, "device": device}).fit(frame)


# ------------------------------------------------ transform and score_samples
def _dates_frame(f):
    return f.assign(d=pd.date_range("2020-01-01", periods=N_ROWS, tz="UTC"))


TRANSFORM_TABLES = [
    pytest.param(
        lambda f: f.drop(columns="n"),
        Raises(ValueError, "Feature names seen at fit time, yet now missing"),
        id="column-missing",
    ),
    pytest.param(
        lambda f: f.assign(extra=1.0),
        Raises(ValueError, "Feature names unseen at fit time"),
        id="column-extra",
    ),
    pytest.param(
        lambda f: f[["n", "x", "c"]],
        Raises(ValueError, "must be in the same order"),
        id="columns-reordered",
    ),
    pytest.param(
        lambda f: f.rename(columns={"x": "z"}),
        Raises(ValueError, "feature names"),
        id="column-renamed",
    ),
    pytest.param(
        lambda f: f.to_numpy()[:, :2],
        Raises(ValueError, "X has 2 features, but VAEAugmenter is expecting 3"),
        id="array-too-narrow",
    ),
    pytest.param(
        lambda f: f.assign(x=np.inf), Raises(ValueError, "'x' contains infinity"), id="inf"
    ),
    pytest.param(
        lambda f: f.assign(n="many"), Raises(TypeError, "'n' must hold numbers"), id="words"
    ),
    pytest.param(
        lambda f: f.assign(x=pd.Timestamp("2020-01-01")),
        Raises(TypeError, "'x' held float64 values in fit but has dtype datetime64"),
        id="number-to-datetime",
    ),
    pytest.param(
        lambda f: f.assign(x=pd.Timedelta("1h")),
        Raises(TypeError, "'x' held float64 values in fit but has dtype timedelta64"),
        id="number-to-timedelta",
    ),
    pytest.param(
        lambda f: f.assign(x=f["x"] + 1j),
        Raises(TypeError, "'x' held float64 values in fit but has dtype complex128"),
        id="number-to-complex",
    ),
    pytest.param(
        lambda f: f.assign(c=[[1]] * N_ROWS),
        Raises(TypeError, "'c' holds unhashable"),
        id="lists-in-cells",
    ),
    pytest.param(
        lambda f: f.assign(n=1e300),
        Raises(ValueError, "'n' holds integers beyond the int64 range"),
        id="1e300-in-integers",
    ),
    pytest.param(lambda f: f.iloc[:0], Raises(ValueError, "0 sample"), id="0-rows"),
    pytest.param(lambda f: f["x"], Raises(ValueError, "Expected 2D"), id="Series"),
    pytest.param(
        lambda f: np.zeros((2, 3, 3)), Raises(ValueError, "Expected 2D"), id="3-D"
    ),
    pytest.param(lambda f: f.iloc[:1], Works("one row back"), id="1-row"),
    pytest.param(
        lambda f: f.assign(c="zzz"), Works("imputed, warns"), id="unseen-category"
    ),
    pytest.param(lambda f: f.assign(c=b"a"), Works("imputed, warns"), id="bytes-unseen"),
    pytest.param(lambda f: f.assign(x=1e300), Works("finite, clipped"), id="1e300"),
    pytest.param(lambda f: f.assign(x=-1e300), Works("finite, clipped"), id="-1e300"),
    pytest.param(
        lambda f: f.assign(x=np.nan, n=np.nan, c=None), Works("all imputed"), id="all-NaN"
    ),
    pytest.param(
        lambda f: f.assign(n=f["n"] + 0.4),
        Works("float read as numbers"),
        id="int-to-float",
    ),
    pytest.param(
        lambda f: f.assign(x=f["x"].astype(str)),
        Works("numeric strings read as numbers"),
        id="float-to-numeric-str",
    ),
    pytest.param(
        lambda f: f.assign(c=f["c"].astype("category")),
        Works("same levels"),
        id="str-to-category",
    ),
    pytest.param(lambda f: f.to_numpy(), Works("matched by position"), id="array"),
]


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.filterwarnings("ignore:.*never seen in fit")
@pytest.mark.parametrize(("make_X", "outcome"), TRANSFORM_TABLES)
def test_transform_tables(frame, augmenter, make_X, outcome):
    X = make_X(frame)

    def reconstructed_in_schema(result):
        result = pd.DataFrame(result, columns=frame.columns).astype(frame.dtypes)
        assert len(result) == len(X) and not result.isna().any().any()
        assert_same_schema(result, frame)

    check(outcome, lambda: augmenter.transform(X), reconstructed_in_schema)


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.filterwarnings("ignore:.*never seen in fit")
@pytest.mark.parametrize(("make_X", "outcome"), TRANSFORM_TABLES)
def test_score_samples_tables(frame, augmenter, make_X, outcome):
    X = make_X(frame)

    def finite_scores(scores):
        assert scores.shape == (len(X),) and np.isfinite(scores).all()

    check(outcome, lambda: augmenter.score_samples(X), finite_scores)


def test_unseen_category_warns_naming_the_column(frame, augmenter):
    with pytest.warns(UserWarning, match="'c' has 60 value"):
        result = augmenter.transform(frame.assign(c="zzz"))
    assert result["c"].isin(["a", "b"]).all()


@pytest.mark.parametrize(
    ("make_d", "match"),
    [
        (lambda f: 1.0, "'d' held datetime64.*UTC.* but has dtype float64"),
        (
            lambda f: pd.date_range("2020", periods=N_ROWS),
            "'d' held .* has dtype datetime64",
        ),
        (lambda f: pd.to_timedelta(f["n"], "D"), "'d' held .* has dtype timedelta64"),
    ],
    ids=["datetime-to-number", "tz-aware-to-naive", "datetime-to-timedelta"],
)
def test_datetime_column_changing_kind(frame, make_d, match):
    X = _dates_frame(frame)
    augmenter = VAEAugmenter(**TINY).fit(X)
    with pytest.raises(TypeError, match=match):
        augmenter.transform(X.assign(d=make_d(frame)))


def test_datetime_in_another_time_zone_is_converted(frame):
    X = _dates_frame(frame)
    augmenter = VAEAugmenter(**TINY).fit(X)
    moved = X.assign(d=X["d"].dt.tz_convert("Asia/Tokyo"))
    pd.testing.assert_frame_equal(augmenter.transform(moved), augmenter.transform(X))


# ----------------------------------------------------------------- sample
SAMPLE_REQUESTS = [
    pytest.param({"n_samples": 0}, Raises(ValueError, "n_samples must be"), id="n=0"),
    pytest.param({"n_samples": -5}, Raises(ValueError, "n_samples must be"), id="n<0"),
    pytest.param({"n_samples": 2.5}, Raises(ValueError, "n_samples must be"), id="n-float"),
    pytest.param({"n_samples": "5"}, Raises(ValueError, "n_samples must be"), id="n-str"),
    pytest.param({"n_samples": True}, Raises(ValueError, "n_samples must be"), id="n-bool"),
    pytest.param(
        {"y": {7: 3}}, Raises(ValueError, r"Unknown class\(es\) \[7\]"), id="y-unknown"
    ),
    pytest.param(
        {"y": ["zebra"]}, Raises(ValueError, "Unknown class"), id="y-unknown-label"
    ),
    pytest.param(
        {"y": {0: -1}}, Raises(ValueError, "non-negative integer"), id="y-count<0"
    ),
    pytest.param(
        {"y": {0: 2.0}}, Raises(ValueError, "non-negative integer"), id="y-count-float"
    ),
    pytest.param({"y": {0, 1}}, Raises(TypeError, "y must be a sequence"), id="y-set"),
    pytest.param({"y": {0: 0}}, Raises(ValueError, "no rows"), id="y-no-rows"),
    pytest.param(
        {"n_samples": 5, "y": {0: 3}},
        Raises(ValueError, "n_samples=5 does not"),
        id="n-vs-y",
    ),
    pytest.param({"n_samples": np.int64(3)}, Works("3 rows"), id="n-numpy-int"),
    pytest.param({"y": np.array([1, 0, 1])}, Works("rows of those classes"), id="y-array"),
]


@pytest.mark.parametrize(("kwargs", "outcome"), SAMPLE_REQUESTS)
def test_sample_requests(frame, augmenter, kwargs, outcome):
    def in_schema(result):
        X_new, y_new = result
        assert len(X_new) == len(y_new) == 3
        assert_same_schema(X_new, frame)

    check(outcome, lambda: augmenter.sample(**kwargs), in_schema)


def test_sample_labels_need_a_conditional_model(frame):
    augmenter = VAEAugmenter(**TINY).fit(frame)
    with pytest.raises(ValueError, match="fitted with class labels"):
        augmenter.sample(2, y=[0, 1])


@pytest.mark.parametrize("method", ["transform", "score_samples", "sample"])
def test_use_before_fit(frame, method):
    args = () if method == "sample" else (frame,)
    with pytest.raises(NotFittedError):
        getattr(VAEAugmenter(), method)(*args)


# ---------------------------------------------------------- VAEResampler
RESAMPLER_CASES = [
    pytest.param(
        lambda f: (np.zeros((N_ROWS, 2, 2)), LABELS),
        Raises(ValueError, "Expected 2D"),
        id="3-D-balanced",
    ),
    pytest.param(
        lambda f: (f.iloc[:0], LABELS[:0]), Raises(ValueError, "0 sample"), id="0-rows"
    ),
    pytest.param(
        lambda f: (f, None), Raises(ValueError, "VAEResampler requires y"), id="y-None"
    ),
    pytest.param(
        lambda f: (f, np.where(IMBALANCED, 1.0, np.nan)),
        Raises(ValueError, "y contains 45 missing"),
        id="y-NaN",
    ),
    pytest.param(
        lambda f: (f, IMBALANCED[:-1]), Raises(ValueError, "y has 59 rows"), id="y-short"
    ),
    pytest.param(
        lambda f: (f, np.zeros((N_ROWS, 2))),
        Raises(ValueError, "y must be 1-D"),
        id="y-2-D",
    ),
    pytest.param(lambda f: (f, "abc"), Raises(ValueError, "y must be 1-D"), id="y-str"),
    pytest.param(
        lambda f: (f, np.array([1, "a"] * 30, dtype=object)),
        Raises(ValueError, "Unknown label type: y"),
        id="y-mixed-types",
    ),
    pytest.param(
        lambda f: (f, np.zeros(N_ROWS)),
        Raises(ValueError, "y has one class"),
        id="single-class",
    ),
    pytest.param(
        lambda f: (f, np.random.default_rng(0).normal(size=N_ROWS)),
        Raises(ValueError, "y is continuous. Set n_synthetic"),
        id="y-continuous",
    ),
    pytest.param(
        lambda f: (f.assign(x=np.inf), IMBALANCED),
        Raises(ValueError, "'x' contains infinity"),
        id="inf",
    ),
    pytest.param(
        lambda f: (f, np.r_[np.zeros(59, dtype=int), 1]),
        Works("balanced: 59 + 59"),
        id="class-with-one-row",
    ),
    pytest.param(
        lambda f: (f, LABELS), Works("already balanced: unchanged"), id="balanced"
    ),
]


@pytest.mark.parametrize(("make_data", "outcome"), RESAMPLER_CASES)
def test_resampler_cases(frame, make_data, outcome):
    X, y = make_data(frame)

    def balanced(result):
        X_res, y_res = result
        counts = np.bincount(np.asarray(y_res, dtype=int))
        assert counts.min() == counts.max() == max(np.bincount(y))
        assert_same_schema(X_res, frame)

    sampler = VAEResampler(VAEAugmenter(**TINY), random_state=0)
    check(outcome, lambda: sampler.fit_resample(X, y), balanced)


# --------------------------------------------------- AugmentedEstimator.fit
AUGMENTED_CASES = [
    pytest.param(
        lambda f: (f, None), Raises(ValueError, "y should be a 1d array"), id="y-None"
    ),
    pytest.param(
        lambda f: (f, np.where(LABELS, 1.0, np.nan)),
        Raises(ValueError, "y contains 30 missing"),
        id="y-NaN",
    ),
    pytest.param(
        lambda f: (f, LABELS[:-1]), Raises(ValueError, "y has 59 rows"), id="y-short"
    ),
    pytest.param(
        lambda f: (f, np.zeros((N_ROWS, 2))),
        Raises(ValueError, "y should be a 1d"),
        id="y-2-D",
    ),
    pytest.param(
        lambda f: (np.zeros((N_ROWS, 2, 2)), LABELS),
        Raises(ValueError, "Expected 2D"),
        id="3-D",
    ),
    pytest.param(
        lambda f: (f.assign(x=np.inf), LABELS),
        Raises(ValueError, "'x' contains infinity"),
        id="inf",
    ),
    pytest.param(
        lambda f: (f, np.zeros(N_ROWS, dtype=int)),
        Raises(ValueError, "only one class"),
        id="single-class",
    ),
    pytest.param(
        lambda f: (f, np.r_[np.zeros(59, dtype=int), 1]),
        Works("fits, predicts"),
        id="class-with-one-row",
    ),
]


@pytest.mark.parametrize(("make_data", "outcome"), AUGMENTED_CASES)
def test_augmented_estimator_cases(frame, make_data, outcome):
    X, y = make_data(frame[["x", "n"]])
    model = AugmentedEstimator(LogisticRegression(), VAEAugmenter(**TINY), random_state=0)

    def predicts(fitted):
        assert set(fitted.predict(X)) <= set(y)

    check(outcome, lambda: model.fit(X, y), predicts)


# ---------------------------------------------- silent wrong output, hangs, errors
def test_extreme_cells_do_not_flatten_ordinary_values():
    # Two cells at +-1e300 once made every ordinary value (x - min) / range = 0.5.
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, N_ROWS)
    x[:2] = [1e300, -1e300]
    X = pd.DataFrame({"x": x, "z": rng.normal(size=N_ROWS)})
    augmenter = VAEAugmenter(**{**FAST, "max_epochs": 20}).fit(X)
    sampled = augmenter.sample(300, random_state=0)[0]["x"]
    ordinary = sampled[sampled.abs() <= 3]
    assert len(ordinary) > 250 and ordinary.nunique() > 100 and ordinary.std() > 0.5
    assert augmenter.transform(X)["x"].nunique() > 30


def test_one_column_y_frame_comes_back_as_a_named_series(frame):
    y = pd.DataFrame({"label": pd.Series(LABELS, dtype="int32")})
    augmenter = VAEAugmenter(**TINY).fit(frame, y)
    _, y_new = augmenter.sample(5, random_state=0)
    assert isinstance(y_new, pd.Series)
    assert y_new.name == "label" and y_new.dtype == np.int32


@pytest.mark.parametrize("y", [{"n_samples": 10**9}, {"y": {0: 10**12}}], ids=["n", "y"])
def test_huge_sample_is_refused_up_front(augmenter, y):
    with pytest.raises(MemoryError, match=r"sample_to_parquet.*dask_sample"):
        augmenter.sample(**y)


def test_pyarrow_backed_columns_keep_their_dtypes(frame):
    pa = pytest.importorskip("pyarrow")
    days = pd.date_range("2024-01-01", periods=N_ROWS, freq="D")
    X = frame.assign(
        day=pd.array(days.date, dtype="date32[pyarrow]"),
        seen=pd.array(
            days.tz_localize("Europe/Oslo"),
            dtype=pd.ArrowDtype(pa.timestamp("us", tz="Europe/Oslo")),
        ),
        wait=pd.array(pd.to_timedelta(frame["n"], unit="s"), dtype="duration[s][pyarrow]"),
        count=pd.array(frame["n"], dtype="int64[pyarrow]"),
        share=pd.array(frame["x"].where(frame["n"] > 0), dtype="double[pyarrow]"),
        flag=pd.array(frame["n"] > 2, dtype="bool[pyarrow]"),
        word=pd.array(frame["c"], dtype=pd.ArrowDtype(pa.string())),
    )
    augmenter = VAEAugmenter(**TINY).fit(X)
    assert_usable(augmenter, X)


@pytest.mark.parametrize(
    "random_state", [-1, 1.5, "0", True, 2**32], ids=["-1", "1.5", "str", "bool", "2**32"]
)
def test_sample_random_state_is_named(augmenter, random_state):
    with pytest.raises(ValueError, match="random_state must be None, an integer from 0"):
        augmenter.sample(3, random_state=random_state)


def test_sample_takes_a_numpy_generator(augmenter):
    first = augmenter.sample(5, random_state=np.random.default_rng(3))[0]
    again = augmenter.sample(5, random_state=np.random.default_rng(3))[0]
    pd.testing.assert_frame_equal(first, again)


def test_pyarrow_table_is_a_table(frame):
    pa = pytest.importorskip("pyarrow")
    augmenter = VAEAugmenter(**TINY).fit(pa.Table.from_pandas(frame), LABELS)
    assert list(augmenter.feature_names_in_) == list(frame.columns)
    assert isinstance(augmenter.transform(pa.Table.from_pandas(frame)), pd.DataFrame)


def test_y_of_tuples_is_refused_in_plain_words(frame):
    ragged = np.empty(N_ROWS, dtype=object)
    ragged[:] = [(1,), (1, 2)] * (N_ROWS // 2)
    for y in (ragged, [(1, 2)] * N_ROWS):
        with pytest.raises(ValueError, match=r"y (holds sequences|must be 1-D \(one)"):
            VAEAugmenter(**TINY).fit(frame, y)


@pytest.mark.parametrize(
    "column",
    [
        pd.period_range("2020-01-01", periods=N_ROWS, freq="D"),
        pd.interval_range(0, N_ROWS),
        pd.array(range(N_ROWS), dtype="int64[pyarrow]"),
        pd.Series([pd.Timestamp("2020-01-01").to_pydatetime()] * N_ROWS, dtype=object),
        pd.arrays.SparseArray(np.r_[np.zeros(50), np.ones(10)]),
    ],
    ids=["period", "interval", "int64[pyarrow]", "object-datetime", "sparse"],
)
def test_unsavable_column_is_named_in_save(frame, column, tmp_path):
    augmenter = VAEAugmenter(**TINY).fit(frame.assign(odd=column))
    with pytest.raises(TypeError, match=r"Cannot save column 'odd': .*Convert the column"):
        augmenter.save(tmp_path / "model.vae")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "strategy", [{1: "50"}, {1: 50.0}, {1: None}], ids=["str", "float", "None"]
)
def test_resampler_strategy_counts_must_be_whole_numbers(frame, strategy):
    sampler = VAEResampler(VAEAugmenter(**TINY), sampling_strategy=strategy)
    with pytest.raises(ValueError, match=r"sampling_strategy\[1\] must be a whole number"):
        sampler.fit_resample(frame, IMBALANCED)


def test_quality_report_names_a_column_of_other_kinds():
    from vae_augment import quality_report

    real = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "x"]})
    with pytest.raises(ValueError, match=r"column 'a' holds numbers in real .* text in"):
        quality_report(real, real.assign(a=["1", "two", "3"]))
