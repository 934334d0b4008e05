"""polars tables in and out of the table layer: pandas dtypes inside, polars ones back."""

import datetime
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from polars_helpers import make_polars_frame

from vae_augment.table.frames import Container, as_frame, concat_rows, feature_names
from vae_augment.table.polars_frames import pandas_to_polars, polars_to_pandas
from vae_augment.table.target import validate_target

pl = pytest.importorskip("polars")
from polars.testing import assert_frame_equal, assert_series_equal  # noqa: E402


@pytest.fixture(scope="module")
def table():
    return make_polars_frame(60)


def test_polars_columns_get_pandas_dtypes_that_keep_their_nulls(table):
    X, _ = table
    frame, dates = polars_to_pandas(X)
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert dtypes["income"] == "float64"
    assert dtypes["age"] == "Int64"  # not float64, as polars' own to_pandas gives
    assert frame["age"].isna().sum() == X["age"].null_count() > 0
    assert dtypes["rooms"] == "UInt8"
    assert dtypes["ratio"] == "float32"
    assert dtypes["member"] == "boolean"  # not object
    assert frame["member"].isna().sum() == X["member"].null_count() > 0
    assert dtypes["colour"] == "category"
    plan = frame["plan"].dtype
    assert plan.ordered and plan.categories.tolist() == ["pro", "legacy", "basic"]
    assert dtypes["seen"] == "datetime64[us, Europe/Oslo]"
    assert dtypes["joined"].startswith("datetime64")
    assert dates == ("joined",)


def test_round_trip_gives_the_polars_table_back(table):
    X, _ = table
    frame, dates = polars_to_pandas(X)
    assert_frame_equal(pandas_to_polars(frame, dates), X)


def test_pandas_tables_become_the_polars_equivalents():
    frame = pd.DataFrame(
        {
            "level": pd.Categorical(
                ["lo", "hi"], categories=["lo", "mid", "hi"], ordered=True
            ),
            "colour": pd.Categorical(["red", "blue"]),
            "count": pd.array([1, None], dtype="Int64"),
            "flag": pd.array([True, None], dtype="boolean"),
            "price": [1.5, np.nan],
            3: ["a", "b"],  # polars names are text
        },
        index=[10, 11],
    )
    polars = pandas_to_polars(frame)
    assert polars.schema == pl.Schema(
        {
            "level": pl.Enum(["lo", "mid", "hi"]),
            "colour": pl.Categorical(),
            "count": pl.Int64(),
            "flag": pl.Boolean(),
            "price": pl.Float64(),
            "3": pl.String(),
        }
    )
    assert polars["price"].null_count() == 1  # pandas' NaN is polars' null
    assert polars["count"].to_list() == [1, None]


def test_objects_of_mixed_types_stay_objects():
    mixed = pd.DataFrame({"cell": np.array([1, "a", None], dtype=object)})
    assert pandas_to_polars(mixed).schema["cell"] == pl.Object


def test_as_frame_remembers_a_polars_table_and_its_names(table):
    X, _ = table
    frame, container = as_frame(X)
    assert container.kind == "polars"
    assert container.date_columns == ("joined",)
    assert feature_names(frame, container).tolist() == X.columns
    assert_frame_equal(container.wrap(frame), X)


@pytest.mark.parametrize(
    ("column", "dtype"),
    [
        (pl.Series("tags", [[1, 2], [3]]), "List"),
        (pl.Series("point", [{"x": 1}, {"x": 2}]), "Struct"),
        (pl.Series("clock", [datetime.time(1), datetime.time(2)]), "Time"),
    ],
)
def test_unsupported_polars_dtypes_are_refused_naming_the_column(column, dtype):
    X = pl.DataFrame([pl.Series("ok", [1.0, 2.0]), column])
    with pytest.raises(TypeError, match=rf"'{column.name}' \({dtype}.*cast"):
        as_frame(X)


def test_a_lazy_frame_is_refused_with_the_fix(table):
    with pytest.raises(TypeError, match=r"polars LazyFrame.*X\.collect\(\)"):
        as_frame(table[0].lazy())


def test_a_polars_series_is_refused_as_a_table(table):
    with pytest.raises(ValueError, match=r"polars Series for X.*to_frame"):
        as_frame(table[0]["income"])


def test_an_empty_polars_table_is_refused_as_a_pandas_one(table):
    with pytest.raises(ValueError, match="X has no rows"):
        as_frame(table[0].clear())
    X = table[0]
    with pytest.raises(ValueError, match="X has no columns"):
        as_frame(X.drop(X.columns))


def test_a_polars_target_keeps_its_name_and_dtype():
    y = pl.Series("grade", [3, 1, 2, 1], dtype=pl.Int32)
    target, values = validate_target(y, 4)
    assert (target.is_polars, target.is_series, target.name) == (True, True, "grade")
    assert values.tolist() == [3, 1, 2, 1]
    assert_series_equal(target.wrap(values.to_numpy()), y)


def test_a_one_column_polars_frame_is_a_target():
    target, _ = validate_target(pl.DataFrame({"label": ["a", "b"]}), 2)
    assert_series_equal(target.wrap(np.array(["b", "a"])), pl.Series("label", ["b", "a"]))


def test_concat_rows_stacks_polars_tables_and_series(table):
    X, y = table
    assert_frame_equal(concat_rows(X[:3], X[3:]), X)
    assert_series_equal(concat_rows(y[:3], y[3:]), y)


def test_crafted_containers_are_refused():
    for crafted in (
        Container(is_frame=False, is_polars=True),
        Container(is_frame=True, date_columns=("day",)),  # dates of a pandas frame
        Container(is_frame=True, is_polars=True, date_columns=(3,)),
    ):
        with pytest.raises(ValueError, match="container"):
            crafted.validate()


def test_results_for_polars_need_polars_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars fails
    with pytest.raises(ImportError, match=r"polars is needed.*vae-augment\[polars\]"):
        Container(is_frame=True, is_polars=True).wrap(pd.DataFrame({"a": [1.0]}))


def test_importing_vae_augment_does_not_import_polars():
    code = "import sys, vae_augment; print('polars' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
