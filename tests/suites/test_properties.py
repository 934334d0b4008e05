"""Properties of generated mixed-type tables: codec round trips, sample and transform."""

import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import assert_decoded_equal, round_trip
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vae_augment import VAEAugmenter

FAST = settings(max_examples=25, deadline=None)
TINY = {"max_epochs": 2, "hidden_dims": (8,), "latent_dim": 2, "random_state": 0}
LEVELS = ["a", "b", "c", "d", "e"]

# Floats keep 3 decimals, integers stay within +-10**4 and times on a grid of 10**4
# steps: the codec resolves about 1e-7 of a column's range (see
# test_codec.py::test_nanosecond_datetimes_stay_in_range), so values closer than that
# may merge.
FLOATS = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3))
INTEGERS = st.integers(-(10**4), 10**4)
TEXT = st.text(alphabet="abxyz ", max_size=3)
STEPS = st.integers(0, 10**4)
START = pd.Timestamp("2000-01-01")
KINDS = [
    "float",
    "float32",
    "Float64",
    "int",
    "Int64",
    "bool",
    "boolean",
    "category",
    "str",
    "object",
    "datetime",
    "datetime_tz",
    "timedelta",
]


def maybe_missing(values):
    """Values, or None for a missing cell."""
    return st.one_of(values, st.none())


def _with_nan(cells: list) -> list:
    return [np.nan if x is None else x for x in cells]


def _times(unit: str, tz: str | None):
    def column(cells):
        times = pd.Series(START + pd.to_timedelta(_with_nan(cells), unit=unit))
        # Hourly steps from UTC: local times in a DST change are never ambiguous.
        return times if tz is None else times.dt.tz_localize("UTC").dt.tz_convert(tz)

    return column


#: kind -> (the strategy of one cell, the column made of a list of cells)
CELLS = {
    "float": (maybe_missing(FLOATS), lambda v: np.array(_with_nan(v))),
    "float32": (INTEGERS, lambda v: np.array(v, dtype=np.float32) / 8),
    "Float64": (maybe_missing(FLOATS), lambda v: pd.array(v, dtype="Float64")),
    "int": (INTEGERS, lambda v: np.array(v, dtype=np.int64)),
    "Int64": (maybe_missing(INTEGERS), lambda v: pd.array(v, dtype="Int64")),
    "bool": (st.booleans(), lambda v: np.array(v, dtype=bool)),
    "boolean": (maybe_missing(st.booleans()), lambda v: pd.array(v, dtype="boolean")),
    "str": (maybe_missing(TEXT), lambda v: pd.array(v, dtype="str")),
    # Strings and numbers in one column are categories.
    "object": (
        maybe_missing(st.one_of(st.sampled_from(["x", "y"]), st.integers(0, 2))),
        lambda v: np.array(v, dtype=object),
    ),
    "datetime": (maybe_missing(STEPS), _times("D", None)),
    "datetime_tz": (maybe_missing(STEPS), _times("h", "Europe/Paris")),
    "timedelta": (
        maybe_missing(STEPS),
        lambda v: pd.to_timedelta(_with_nan(v), unit="s"),
    ),
}


def column_values(kind: str, n_rows: int):
    """A strategy for one column of ``kind`` with ``n_rows`` rows."""

    def cells(values):
        return st.lists(values, min_size=n_rows, max_size=n_rows)

    if kind == "category":  # categories in any order, some maybe unused
        return st.tuples(
            cells(maybe_missing(st.sampled_from(LEVELS[:3]))), st.permutations(LEVELS)
        ).map(lambda vc: pd.Categorical(vc[0], categories=vc[1]))
    values, column = CELLS[kind]
    return cells(values).map(column)


@st.composite
def tables(draw) -> pd.DataFrame:
    """Tables of 5-40 rows and 1-5 columns of mixed kinds, with missing values."""
    n_rows = draw(st.integers(5, 40))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    frame = pd.DataFrame(
        {f"{kind}{j}": draw(column_values(kind, n_rows)) for j, kind in enumerate(kinds)}
    )
    assume(frame.notna().any().all())  # an all-missing column is rejected by design
    return frame


def holds_categories(column: pd.Series) -> bool:
    """Whether a training column is categorical (as opposed to numbers or times)."""
    if pd.api.types.is_object_dtype(column):
        return pd.api.types.infer_dtype(column, skipna=True) not in ("integer", "floating")
    return (
        isinstance(column.dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(column)
        or pd.api.types.is_string_dtype(column)
    )


def assert_sample_matches_schema(sample: pd.DataFrame, real: pd.DataFrame) -> None:
    """Columns, dtypes, categories, ranges and missingness as in the training table."""
    assert list(sample.columns) == list(real.columns)
    pd.testing.assert_series_equal(sample.dtypes, real.dtypes)
    for column in real.columns:
        values, reference = sample[column], real[column]
        if not reference.isna().any():
            assert not values.isna().any(), column
        observed = values.dropna()
        if isinstance(reference.dtype, pd.CategoricalDtype):
            assert values.cat.categories.equals(reference.cat.categories), column
        if holds_categories(reference):
            assert set(observed) <= set(reference.dropna()), column
            continue
        assert observed.min() >= reference.min(), column
        assert observed.max() <= reference.max(), column
        if pd.api.types.is_integer_dtype(reference) or reference.dtype == object:
            assert (observed.astype(float) % 1 == 0).all(), column
        if reference.dtype.kind in "mM":  # whole seconds, as in training
            offsets = observed - reference.min()
            assert (offsets % pd.Timedelta("1s") == pd.Timedelta(0)).all(), column


@FAST
@given(tables())
def test_codec_round_trip_returns_the_table(frame):
    codec, decoded = round_trip(frame)
    assert_decoded_equal(codec, decoded, frame)


@FAST
@given(tables())
def test_sample_and_transform_respect_the_schema(frame):
    frame.index = pd.RangeIndex(100, 100 + 3 * len(frame), 3)[::-1]
    augmenter = VAEAugmenter(**TINY).fit(frame)

    sample, y = augmenter.sample(50)
    assert y is None
    assert len(sample) == 50
    assert_sample_matches_schema(sample, frame)

    reconstructed = augmenter.transform(frame)
    assert reconstructed.index.equals(frame.index)
    assert not reconstructed.isna().any().any()
    assert_sample_matches_schema(reconstructed, frame)


@FAST
@given(tables(), st.data())
def test_class_conditional_samples_respect_the_schema(frame, data):
    labels = data.draw(
        st.lists(st.sampled_from(["lo", "hi"]), min_size=len(frame), max_size=len(frame))
    )
    augmenter = VAEAugmenter(**TINY).fit(frame, labels)
    request = {label: 20 for label in sorted(set(labels))}
    sample, y = augmenter.sample(y=request)
    assert list(y) == [label for label, n in request.items() for _ in range(n)]
    assert_sample_matches_schema(sample, frame)


@FAST
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=30))
def test_floats_of_any_magnitude_sample_finite_and_in_range(values):
    frame = pd.DataFrame({"x": values})
    if not math.isfinite(max(values) - min(values)):
        with pytest.raises(ValueError, match="'x' spans"):
            VAEAugmenter(**TINY).fit(frame)
        return
    augmenter = VAEAugmenter(**TINY).fit(frame)
    sample, _ = augmenter.sample(50)
    assert np.isfinite(sample["x"]).all()
    assert_sample_matches_schema(sample, frame)
    assert_sample_matches_schema(augmenter.transform(frame), frame)


@settings(max_examples=15, deadline=None)
@given(tables(), st.sampled_from(["csv", "parquet"]))
def test_cli_round_trip_keeps_names_order_and_kinds(frame, suffix):
    # A table written as a file, fitted and sampled by the command line, and read back:
    # the columns by name, in order, of the kinds (and for Parquet the dtypes) that
    # reading the training file gives.
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    from vae_augment.cli.main import main
    from vae_augment.table.io import read_table, write_table
    from vae_augment.table.kinds import column_kind

    with tempfile.TemporaryDirectory() as folder:
        data, out = Path(folder) / f"train.{suffix}", Path(folder) / f"out.{suffix}"
        try:
            write_table(frame, data)
        except ValueError:  # Parquet cannot store text and numbers in one column
            assume(False)
        training = read_table(data)
        assume(training.notna().any().all())  # CSV reads "" as missing
        fit = [
            "fit",
            str(data),
            "-o",
            f"{folder}/m.vae",
            "--max-epochs",
            "2",
            "--seed",
            "0",
        ]
        assert main([*fit, "--quiet", "--hidden-dims", "8", "--latent-dim", "2"]) == 0
        # Enough rows that every kind of value shows up: 25 rows of a 2-epoch model
        # once drew only the digit labels of a text column, which then reads back as
        # numbers (CSV stores no types).
        assert main(["sample", f"{folder}/m.vae", "-n", "300", "-o", str(out)]) == 0
        sampled = read_table(out)
    assert list(sampled.columns) == list(training.columns)
    for column in training.columns:
        assert (
            column_kind(sampled[column].dropna()) == column_kind(training[column].dropna())
            or sampled[column].isna().all()
        ), column
    if suffix == "parquet":
        pd.testing.assert_series_equal(sampled.dtypes, training.dtypes)
