"""Tables on disk: CSV columns read as a user expects, Parquet keeps dtypes exactly."""

import gzip
import io
import sys

import numpy as np
import pandas as pd
import pytest
from helpers import make_mixed_frame

from vae_augment.table.io import read_table, write_frames, write_table

#: What pandas' ISO 8601 parsing gives: datetime64[us] in pandas 3, [ns] in pandas 2.
DATETIME = str(pd.to_datetime(["2024-03-01"], format="ISO8601").dtype)
UTC = str(pd.to_datetime(["2024-03-01"], format="ISO8601", utc=True).dtype)

CSV_TEXT = """\
id,count,price,flag,maybe,day,stamp,word,code,empty
1,3,1.5,True,True,2024-03-01,2024-03-01 12:30:00,red,A1,
2,,2.0,False,,2024-03-02,2024-03-02 08:00:00,,B2,
3,5,,True,False,2024-03-03,2024-03-03 09:15:00,blue,2024-13-45,
"""


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(CSV_TEXT)
    return path


def test_csv_columns_get_the_dtypes_a_user_expects(csv_file):
    frame = read_table(csv_file)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "id": "int64",
        "count": "Int64",  # whole numbers with a gap
        "price": "float64",
        "flag": "bool",
        "maybe": "boolean",  # booleans with a gap
        "day": DATETIME,
        "stamp": DATETIME,
        "word": str(pd.Series(["x"]).dtype),  # pandas' default text dtype
        "code": str(pd.Series(["x"]).dtype),  # one value is not a date: stays text
        "empty": "float64",
    }
    assert frame["count"].isna().tolist() == [False, True, False]
    assert frame["word"].isna().tolist() == [False, True, False]
    assert frame["stamp"][0] == pd.Timestamp("2024-03-01 12:30")


def test_csv_written_back_looks_the_same(csv_file, tmp_path):
    out = tmp_path / "out.csv"
    write_table(read_table(csv_file), out)
    assert out.read_text() == CSV_TEXT


def test_csv_round_trip_of_every_column_kind(tmp_path):
    frame, label = make_mixed_frame(50)
    frame = frame.assign(risk=label, plan=frame["plan"].astype(object))
    path = tmp_path / "mixed.csv"
    write_table(frame, path)
    text = path.read_text().splitlines()
    assert text[0] == "income,visits,age,member,plan,city,joined,risk"
    ages = [line.split(",")[2] for line in text[1:]]
    assert "" in ages and not any(age.endswith(".0") for age in ages)  # Int64 with NA
    back = read_table(path)
    pd.testing.assert_frame_equal(
        back, frame.astype({"joined": DATETIME, "plan": back["plan"].dtype})
    )


def test_csv_timestamps_across_a_daylight_saving_change_are_read_in_utc(tmp_path):
    path = tmp_path / "oslo.csv"
    path.write_text(
        "stamp,naive_and_aware\n"
        "2024-03-30 12:00:00+01:00,2024-03-30 12:00:00+01:00\n"
        "2024-04-01 12:00:00+02:00,2024-04-01 12:00:00\n"
    )
    frame = read_table(path)
    assert str(frame["stamp"].dtype) == UTC
    assert frame["stamp"].tolist() == [
        pd.Timestamp("2024-03-30 11:00", tz="UTC"),
        pd.Timestamp("2024-04-01 10:00", tz="UTC"),
    ]
    # A timestamp without an offset is not UTC: such a column stays text.
    assert frame["naive_and_aware"].dtype == pd.Series(["x"]).dtype


def test_parquet_keeps_every_dtype(tmp_path):
    frame, _ = make_mixed_frame(50)
    frame = frame.assign(
        maybe=pd.array([True, None] * 25, dtype="boolean"),
        zone=pd.date_range("2024-01-01", periods=50, freq="h", tz="Europe/Oslo"),
        small=np.arange(50, dtype=np.uint8),
        grade=pd.Categorical(np.arange(50) % 3),  # categories that are numbers
    )
    path = tmp_path / "mixed.parquet"
    write_table(frame, path)
    back = read_table(path)
    pd.testing.assert_frame_equal(back, frame)
    assert list(back["plan"].cat.categories) == ["pro", "plus", "basic", "legacy"]


def test_parquet_numeric_categories_keep_only_the_values_present(tmp_path):
    grade = pd.Categorical([3, 1, 3], categories=[3, 1, 2], ordered=True)
    write_table(pd.DataFrame({"grade": grade}), tmp_path / "grade.parquet")
    back = read_table(tmp_path / "grade.parquet")["grade"]
    assert back.tolist() == [3, 1, 3]
    assert (list(back.cat.categories), back.cat.ordered) == ([1, 3], False)


def test_parquet_gets_a_fresh_index(tmp_path):
    frame = pd.DataFrame({"a": [1.0, 2.0]}, index=pd.Index([7, 9], name="row"))
    frame.to_parquet(tmp_path / "indexed.parquet")  # stores the index
    back = read_table(tmp_path / "indexed.parquet")
    pd.testing.assert_frame_equal(back, pd.DataFrame({"a": [1.0, 2.0]}))


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("table.txt", ValueError, r"unknown table format '\.txt'; use \.csv, \.tsv,"),
        ("table", ValueError, r"unknown table format '\(no suffix\)'"),
        ("absent.csv", FileNotFoundError, "absent.csv: no such file"),
    ],
)
def test_read_rejects_bad_paths(tmp_path, name, error, match):
    with pytest.raises(error, match=match):
        read_table(tmp_path / name)


def test_read_reports_unparsable_files(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(ValueError, match=r"empty\.csv: cannot read the table"):
        read_table(path)


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r'pip install "vae-augment\[parquet\]"'):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.parquet")


def test_parquet_refuses_mixed_object_columns_in_one_line(tmp_path):
    with pytest.raises(ValueError, match="cannot write the table as Parquet"):
        write_table(pd.DataFrame({"a": [1, "x"]}, dtype=object), tmp_path / "t.parquet")


# ------------------------------------------------ formats, separators, streams
@pytest.mark.parametrize(
    ("name", "sep", "gzipped"),
    [("t.tsv", "\t", False), ("t.csv.gz", ",", True), ("t.TSV.GZ", "\t", True)],
)
def test_delimited_formats_round_trip(csv_file, tmp_path, name, sep, gzipped):
    frame = read_table(csv_file)
    write_table(frame, tmp_path / name)
    raw = (tmp_path / name).read_bytes()
    text = (gzip.decompress(raw) if gzipped else raw).decode()
    assert text == CSV_TEXT.replace(",", sep)
    pd.testing.assert_frame_equal(read_table(tmp_path / name), frame)


def test_frames_are_written_one_after_the_other(tmp_path):
    first, second = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), pd.DataFrame({"a": [3]})
    write_frames(iter([first, second.assign(b="z")]), tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "a,b\n1,x\n2,y\n3,z\n"


def test_a_tsv_read_as_one_column_names_the_separator_to_pass(tmp_path):
    (tmp_path / "t.tsv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="looks like a ','-separated file: pass --sep ','"):
        read_table(tmp_path / "t.tsv")
    (tmp_path / "one.csv").write_text("a;b\n1\n")  # a column named "a;b", on purpose
    assert list(read_table(tmp_path / "one.csv", sep=",").columns) == ["a;b"]


def test_standard_input_and_output(monkeypatch, capsysbinary):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a;b\n1;\xe9\n")))
    frame = read_table("-", sep=";", encoding="latin-1")
    assert frame.to_dict("list") == {"a": [1], "b": ["é"]}
    write_table(frame, "-", encoding="latin-1")
    assert capsysbinary.readouterr().out == b"a,b\n1,\xe9\n"


def test_unknown_encoding_is_named(tmp_path, csv_file):
    with pytest.raises(ValueError, match="unknown text encoding 'utf-9'"):
        read_table(csv_file, encoding="utf-9")
