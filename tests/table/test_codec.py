"""TableCodec: column kinds, encode/decode round trips, decoding model output, errors."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats as scipy_stats
from helpers import assert_decoded_equal, round_trip

from vae_augment.table.codec import TableCodec
from vae_augment.table.kinds import CATEGORICAL, NUMERIC

N_ROWS = 60


def mixed_frame(n_rows: int = N_ROWS, seed: int = 0) -> pd.DataFrame:
    """One column of every kind the codec knows, most of them with missing values.

    Times lie on whole-day or whole-hour grids, so that they round trip exactly.
    """
    rng = np.random.default_rng(seed)
    missing = rng.random((n_rows, 11)) < 0.15

    def with_nan(values, j):
        values = np.asarray(values, dtype=float)
        return np.where(missing[:, j], np.nan, values)

    def with_none(values, j):
        values = np.asarray(values, dtype=object)
        values[missing[:, j]] = None
        return values

    days = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 900, n_rows), "D")
    hours = pd.Timestamp("2021-03-20", tz="Europe/Paris") + pd.to_timedelta(
        rng.integers(0, 24 * 20, n_rows), "h"
    )  # crosses the switch to summer time
    words = np.array(["oslo", "lima", "pune", "kyiv"], dtype=object)
    return pd.DataFrame(
        {
            "float": with_nan(rng.normal(50, 10, n_rows), 0),
            "float32": rng.gamma(2.0, 3.0, n_rows).astype(np.float32),
            "int": rng.integers(-5, 100, n_rows),
            "Int64": pd.array(with_none(rng.integers(0, 9, n_rows), 1), dtype="Int64"),
            "bool": rng.random(n_rows) < 0.3,
            "boolean": pd.array(with_none(rng.random(n_rows) < 0.6, 2), dtype="boolean"),
            "category": pd.Categorical(
                with_none(rng.choice(["lo", "mid", "hi"], n_rows), 3),
                categories=["hi", "unused", "lo", "mid"],
            ),
            "ordered": pd.Categorical(
                rng.choice(["S", "M", "L"], n_rows),
                categories=["S", "M", "L", "XL"],
                ordered=True,
            ),
            "str": pd.array(with_none(rng.choice(words, n_rows), 4), dtype="str"),
            "object": with_none(rng.choice(words, n_rows), 5),
            "object_numbers": with_none(rng.normal(0, 1, n_rows), 6),
            "object_ints": with_none(rng.integers(0, 50, n_rows).tolist(), 7),
            "datetime": days.where(~missing[:, 8]),
            "datetime_tz": hours.where(~missing[:, 9]),
            "timedelta": pd.to_timedelta(rng.integers(0, 72, n_rows), "h").where(
                ~missing[:, 10]
            ),
        }
    )


#: Kind and decoding step of every column of ``mixed_frame``; a string step is a numpy
#: time unit (the step is then that unit in the column's own ``time_unit``).
EXPECTED_KINDS = {
    "float": (NUMERIC, None),
    "float32": (NUMERIC, None),
    "int": (NUMERIC, 1.0),
    "Int64": (NUMERIC, 1.0),
    "bool": (CATEGORICAL, None),
    "boolean": (CATEGORICAL, None),
    "category": (CATEGORICAL, None),
    "ordered": (CATEGORICAL, None),
    "str": (CATEGORICAL, None),
    "object": (CATEGORICAL, None),
    "object_numbers": (NUMERIC, None),
    "object_ints": (NUMERIC, 1.0),
    "datetime": (NUMERIC, "D"),
    "datetime_tz": (NUMERIC, "h"),
    "timedelta": (NUMERIC, "h"),
}
COLUMNS = list(EXPECTED_KINDS)
NUMERIC_COLUMNS = [c for c, (kind, _) in EXPECTED_KINDS.items() if kind == NUMERIC]
INTEGER_COLUMNS = [c for c, (_, step) in EXPECTED_KINDS.items() if step == 1.0]
TIME_GRIDS = {"datetime": "1D", "datetime_tz": "1h", "timedelta": "1h"}


def fit_single(series: pd.Series, name: str = "x"):
    """Fit a codec on a one-column table and return the column's spec."""
    return TableCodec.fit(series.to_frame(name)).columns[0]


# ------------------------------------------------------------------ column kinds
@pytest.mark.parametrize("column", COLUMNS)
def test_column_kind_dtype_and_step_detected(column):
    series = mixed_frame()[column]
    spec = fit_single(series)
    kind, step = EXPECTED_KINDS[column]
    assert spec.kind == kind
    assert spec.dtype == series.dtype
    assert spec.has_missing == bool(series.isna().any())
    if isinstance(step, str):
        assert spec.time_unit is not None
        step = np.timedelta64(1, step) / np.timedelta64(1, spec.time_unit)
    assert spec.step == step


def test_categorical_levels_follow_category_order_and_skip_unused():
    spec = fit_single(mixed_frame()["category"])
    assert list(spec.levels) == ["hi", "lo", "mid"]


@pytest.mark.parametrize("dtype", ["str", object])
def test_string_levels_are_sorted(dtype):
    spec = fit_single(pd.Series(["pear", None, "apple", "fig", "apple"], dtype=dtype))
    assert list(spec.levels) == ["apple", "fig", "pear"]


# ------------------------------------------------------------------- round trip
@pytest.mark.parametrize(
    "columns", [[c] for c in COLUMNS] + [COLUMNS], ids=[*COLUMNS, "all"]
)
def test_round_trip_returns_the_table(columns):
    frame = mixed_frame()[columns]
    codec, decoded = round_trip(frame)
    assert_decoded_equal(codec, decoded, frame)


def test_encode_marks_missing_cells_and_codes_levels():
    frame = mixed_frame()
    codec = TableCodec.fit(frame)
    encoded = codec.encode(frame)
    assert encoded.numeric.dtype == np.float32 and encoded.codes.dtype == np.int64
    assert encoded.numeric.shape == (N_ROWS, len(codec.numeric))
    assert encoded.codes.shape == (N_ROWS, len(codec.categorical))
    numeric_missing = frame[[c.name for c in codec.numeric]].isna().to_numpy()
    codes_missing = frame[[c.name for c in codec.categorical]].isna().to_numpy()
    np.testing.assert_array_equal(np.isnan(encoded.numeric), numeric_missing)
    np.testing.assert_array_equal(encoded.codes == -1, codes_missing)
    assert np.all(np.abs(encoded.numeric[~numeric_missing]) < 6)  # standard-normal scale
    sizes = np.array([len(c.levels) for c in codec.categorical])
    assert np.all(encoded.codes < sizes)


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([3.5] * 8),
        pd.Series([7, 7, 7, 7]),
        pd.Series([2.0, np.nan, 2.0, 2.0]),
        pd.Series(pd.to_datetime(["2020-05-01"] * 5)),
        pd.Series(pd.Categorical(["b", "b", None], categories=["a", "b", "c"])),
        pd.Series(["only", "only", None], dtype="str"),
        pd.Series([True, True, True]),
    ],
    ids=["float", "int", "float-nan", "datetime", "category", "str", "bool"],
)
def test_constant_or_single_level_column_round_trips(series):
    frame = series.to_frame("x")
    codec, decoded = round_trip(frame)
    assert_decoded_equal(codec, decoded, frame)
    # Whatever the model outputs, a single-valued column decodes to its one value.
    rng = np.random.default_rng(0)
    n_numeric, n_codes = len(codec.numeric), len(codec.categorical)
    anything, _ = codec.decode(
        rng.normal(0, 3, (20, n_numeric)).astype(np.float32), np.zeros((20, n_codes), int)
    )
    assert set(anything["x"]) == set(series.dropna())


@pytest.mark.parametrize("dtype", ["category", "str"])
def test_thousand_level_categorical_round_trips(dtype):
    rng = np.random.default_rng(0)
    levels = [f"level{i:04d}" for i in range(1000)]
    values = rng.permutation(np.repeat(np.array(levels, dtype=object), 3))
    frame = pd.DataFrame({"x": pd.Series(values, dtype=dtype)})
    codec, decoded = round_trip(frame)
    assert len(codec.columns[0].levels) == 1000
    assert_decoded_equal(codec, decoded, frame)


@pytest.mark.parametrize(
    "frame",
    [
        # Integers spread widely (epoch seconds over two years): the extremes must not
        # be pulled inwards by the quantile map's clipping at probabilities 1e-7.
        pd.DataFrame({"x": [1_600_000_000, 1_631_536_000, 1_663_072_000]}),
        pd.DataFrame({"x": [0, 10_000_000, 20_000_000]}),
        # Integers beyond 2**53 stay exact (int64 arithmetic, not float64).
        pd.DataFrame({"x": [2**60 + 1, 2**60 + 3, 2**60 + 7]}),
        # Floats on a tiny scale (wavelengths in metres) keep their resolution.
        pd.DataFrame({"x": [4.0e-7, 4.5e-7, 5.0e-7, 7.0e-7]}),
    ],
    ids=["epoch-seconds", "wide-integers", "beyond-2**53", "tiny-floats"],
)
def test_round_trip_at_extreme_scales(frame):
    codec, decoded = round_trip(frame)
    assert_decoded_equal(codec, decoded, frame)


def test_nanosecond_datetimes_stay_in_range():
    # Resolution is about 1e-7 of the column's range (the quantile map's tolerance
    # on the [0, 1] scale): 10 ns apart in a 100 s range may merge, but decoded
    # values never leave the training range.
    times = pd.to_datetime(
        [1577836800123456789, 1577836800123456799, 1577836900123456789], unit="ns"
    )
    frame = pd.DataFrame({"x": times})
    _, decoded = round_trip(frame)
    assert decoded["x"].between(times.min(), times.max()).all()
    assert decoded["x"].iloc[[0, 2]].equals(frame["x"].iloc[[0, 2]])


# ------------------------------------------------------- decoding model output
@pytest.fixture(scope="module")
def decoded_noise():
    """The mixed table, its codec, noise decoded by it and the cells set missing."""
    frame = mixed_frame()
    codec = TableCodec.fit(frame)
    rng = np.random.default_rng(1)
    n_rows = 500
    numeric = rng.normal(0, 3, (n_rows, len(codec.numeric))).astype(np.float32)
    codes = np.column_stack(
        [rng.integers(0, len(c.levels), n_rows) for c in codec.categorical]
    )
    # The model only generates missing cells in columns that had some in training.
    specs = codec.numeric + codec.categorical
    can_miss = np.array([c.has_missing for c in specs])
    missing = (rng.random((n_rows, len(specs))) < 0.1) & can_miss
    numeric[missing[:, : numeric.shape[1]]] = np.nan
    codes[missing[:, numeric.shape[1] :]] = -1
    missing = pd.DataFrame(missing, columns=[c.name for c in specs])[frame.columns]
    return frame, codec.decode(numeric, codes)[0], missing


def test_decoded_noise_has_training_columns_dtypes_and_missing_cells(decoded_noise):
    frame, decoded, missing = decoded_noise
    assert decoded.index.equals(pd.RangeIndex(len(missing)))
    pd.testing.assert_series_equal(decoded.dtypes, frame.dtypes)
    pd.testing.assert_frame_equal(decoded.isna(), missing)


@pytest.mark.parametrize("column", NUMERIC_COLUMNS)
def test_decoded_noise_stays_inside_training_range(decoded_noise, column):
    frame, decoded, _ = decoded_noise
    values, reference = decoded[column].dropna(), frame[column].dropna()
    assert values.min() >= reference.min()
    assert values.max() <= reference.max()
    assert values.nunique() > 1


@pytest.mark.parametrize("column", INTEGER_COLUMNS)
def test_decoded_noise_keeps_integer_columns_integral(decoded_noise, column):
    _, decoded, _ = decoded_noise
    values = decoded[column].dropna().astype(float)
    assert np.all(values == np.round(values))


@pytest.mark.parametrize("column", list(TIME_GRIDS))
def test_decoded_noise_keeps_times_on_the_training_grid(decoded_noise, column):
    frame, decoded, _ = decoded_noise
    offsets = decoded[column].dropna() - frame[column].min()
    assert (offsets % pd.Timedelta(TIME_GRIDS[column]) == pd.Timedelta(0)).all()


@pytest.mark.parametrize("column", [c for c in COLUMNS if c not in NUMERIC_COLUMNS])
def test_decoded_noise_uses_training_levels_only(decoded_noise, column):
    frame, decoded, _ = decoded_noise
    assert set(decoded[column].dropna()) == set(frame[column].dropna())


# ------------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "train, new",
    [
        (pd.Categorical(["a", "b", "a"]), pd.Categorical(["a", "zz", None])),
        (pd.array(["a", "b", "a"], dtype="str"), pd.array(["a", "zz", None], dtype="str")),
        (
            np.array(["a", "b", "a"], dtype=object),
            np.array(["a", "zz", None], dtype=object),
        ),
    ],
    ids=["category", "str", "object"],
)
def test_unseen_category_warns_and_is_coded_missing(train, new):
    codec = TableCodec.fit(pd.DataFrame({"city": train}))
    with pytest.warns(UserWarning, match=r"column 'city'.*'zz'"):
        encoded = codec.encode(pd.DataFrame({"city": new}))
    assert encoded.codes[:, 0].tolist() == [0, -1, -1]


@pytest.mark.parametrize(
    "empty",
    [
        [np.nan] * 3,
        [None] * 3,
        pd.array([None] * 3, dtype="Int64"),
        pd.array([None] * 3, dtype="boolean"),
        pd.array([None] * 3, dtype="str"),
        pd.Categorical([None] * 3, categories=["a"]),
        pd.to_datetime([None] * 3),
    ],
    ids=["float", "object", "Int64", "boolean", "str", "category", "datetime"],
)
def test_all_missing_column_raises_naming_it(empty):
    frame = pd.DataFrame({"ok": [1.0, 2.0, 3.0], "blank": empty})
    with pytest.raises(ValueError, match=r"column 'blank'.*all missing"):
        TableCodec.fit(frame)


@pytest.mark.parametrize(
    "values",
    [[1.0, np.inf, 2.0], [1.0, -np.inf, 2.0], pd.Series([1, np.inf, 2], dtype=object)],
    ids=["inf", "-inf", "object-inf"],
)
@pytest.mark.parametrize("at", ["fit", "encode"])
def test_infinity_raises_naming_the_column(values, at):
    good = pd.DataFrame({"price": pd.Series([1.0, 2.0, 3.0], dtype=object)})
    bad = pd.DataFrame({"price": values})
    with pytest.raises(ValueError, match=r"column 'price'.*infinity"):
        codec = TableCodec.fit(good if at == "encode" else bad)
        codec.encode(bad)


@pytest.mark.parametrize("cells", [[{"a": 1}, {"b": 2}, None], [[1], [2, 3], [4]]])
@pytest.mark.parametrize("at", ["fit", "encode"])
def test_unhashable_cells_raise_type_error_naming_the_column(cells, at):
    good = pd.DataFrame({"meta": ["a", "b", "a"]})
    bad = pd.DataFrame({"meta": cells})
    with pytest.raises(TypeError, match=r"column 'meta'.*unhashable"):
        codec = TableCodec.fit(good if at == "encode" else bad)
        codec.encode(bad)


@pytest.mark.parametrize(
    "train",
    [
        pd.Series([1.5, 2.5, 3.5]),
        pd.Series([1, 2, 3]),
        pd.Series(pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03"])),
    ],
    ids=["float", "int", "datetime"],
)
@pytest.mark.parametrize("dtype", ["str", object])
def test_numeric_column_receiving_strings_raises_naming_it(train, dtype):
    codec = TableCodec.fit(train.to_frame("age"))
    strings = pd.DataFrame({"age": pd.Series(["young", "old", None], dtype=dtype)})
    with pytest.raises(TypeError, match=r"column 'age'"):
        codec.encode(strings)


def test_ties_at_the_extremes_sit_at_their_mid_rank():
    # 20 % zeros and a third of rows at the last year must not be pushed to the far
    # tails of the normal scale (a Gaussian decoder cannot put 20 % of mass there).
    calls = np.repeat([0, 1, 2, 3, 9], [20, 36, 24, 19, 1])
    year = np.repeat([2007, 2008, 2009], [34, 33, 33])
    frame = pd.DataFrame({"calls": calls, "year": year})
    codec = TableCodec.fit(frame)
    encoded = codec.encode(frame).numeric
    zeros = encoded[calls == 0, 0]
    assert np.allclose(zeros, scipy_stats.norm.ppf(0.1), atol=0.05)  # middle of 0..20 %
    assert np.allclose(encoded[year == 2009, 1], scipy_stats.norm.ppf(1 - 0.165), atol=0.05)
    assert np.abs(encoded).max() < 3.0
    _, decoded = round_trip(frame)
    assert decoded.equals(frame)


def test_floats_come_back_with_the_training_decimals():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "mm": np.round(rng.normal(40, 5, 200), 1),
            "grams": np.round(rng.normal(4000, 500, 200)),
            "ratio32": np.round(rng.random(200), 3).astype(np.float32),
            "continuous": rng.normal(size=200),
        }
    )
    codec = TableCodec.fit(frame)
    assert [c.decimals for c in codec.numeric] == [1, 0, 3, None]
    noise = rng.normal(size=(500, 4)).astype(np.float32)
    decoded, _ = codec.decode(noise, np.empty((500, 0), dtype=np.int64))
    assert np.array_equal(decoded["mm"], np.round(decoded["mm"], 1))
    assert np.array_equal(decoded["grams"], np.round(decoded["grams"]))
    assert decoded["ratio32"].dtype == np.float32
    assert np.array_equal(decoded["ratio32"], np.round(decoded["ratio32"], 3))
    # Continuous values are not rounded: (almost) all distinct at 6 decimals.
    assert decoded["continuous"].round(6).nunique() > 450


def test_nullable_unsigned_column_with_only_missing_cells_at_transform():
    frame = pd.DataFrame({"n": pd.array([1, 2, 3, 4, 5], dtype="UInt64")})
    codec = TableCodec.fit(frame)
    encoded = codec.encode(pd.DataFrame({"n": pd.array([None, None], dtype="UInt64")}))
    assert np.isnan(encoded.numeric).all()
