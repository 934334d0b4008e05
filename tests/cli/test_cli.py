"""The ``vae-augment`` command line, run in-process through ``main``."""

import json
import re
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import make_mixed_frame

from vae_augment import MaxEpochsWarning, VAEAugmenter, load, load_penguins
from vae_augment.cli.main import main
from vae_augment.table.io import read_table, write_table

#: Hyper-parameters that fit the 120-row test table in well under a second.
FAST = ["--max-epochs", "5", "--hidden-dims", "32,32", "--latent-dim", "4", "--seed", "0"]
FEATURES = ["income", "visits", "age", "member", "plan", "city", "joined"]


def run(argv, capsys):
    """Exit code, stdout and stderr of one command (parse errors exit through argparse)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exit_info:
        code = exit_info.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The mixed table as CSV and Parquet, and a conditional model fitted on the CSV."""
    folder = tmp_path_factory.mktemp("cli")
    X, y = make_mixed_frame(120)
    table = X.assign(risk=y)
    write_table(table, folder / "table.csv")
    write_table(table, folder / "table.parquet")
    fit = ["fit", folder / "table.csv", "--target", "risk", "-o", folder / "m.vae"]
    assert main([str(a) for a in [*fit, *FAST, "--quiet"]]) == 0
    return folder


def test_fit_saves_a_model_with_the_options_given(files):
    model = load(files / "m.vae")
    assert list(model.classes_) == ["bad", "good"]
    assert list(model.feature_names_in_) == FEATURES
    assert (model.latent_dim, model.hidden_dims, model.n_iter_) == (4, (32, 32), 5)


def test_fit_shows_progress_and_a_summary(files, tmp_path, capsys):
    model = tmp_path / "new" / "u.vae"  # fit creates the folder
    fit = ["fit", files / "table.parquet", "-o", model, *FAST, "--max-epochs", "2"]
    code, out, err = run(fit, capsys)
    assert code == 0
    assert "VAEAugmenter" in err and "2/2" in err  # the progress bar
    assert "Fitted on 120 rows and 8 columns" in out  # no --target: risk is a feature
    assert load(model).classes_ is None


def test_sample_writes_the_requested_rows_per_class(files, tmp_path, capsys):
    out_file = tmp_path / "synthetic.csv"
    code, out, _ = run(
        [
            "sample",
            files / "m.vae",
            "-o",
            out_file,
            "--class",
            "bad=7",
            "--class",
            "good=5",
        ],
        capsys,
    )
    assert code == 0 and "Wrote 12 rows" in out
    synthetic = read_table(out_file)
    assert list(synthetic.columns) == [*FEATURES, "risk"]
    assert synthetic["risk"].tolist() == ["bad"] * 7 + ["good"] * 5
    lines = out_file.read_text().splitlines()[1:]
    visits = [line.split(",")[1] for line in lines]
    assert all(v.isdigit() for v in visits)  # integers written without ".0"
    assert synthetic["joined"].dtype.kind == "M"  # dates written as ISO text


def test_sample_parquet_keeps_dtypes(files, tmp_path, capsys):
    model = tmp_path / "p.vae"
    fit = ["fit", files / "table.parquet", "--target", "risk", "-o", model, *FAST]
    assert run(fit, capsys)[0] == 0
    code, _, _ = run(["sample", model, "-n", "30", "-o", tmp_path / "s.parquet"], capsys)
    assert code == 0
    synthetic = read_table(tmp_path / "s.parquet")
    real = read_table(files / "table.parquet")
    assert len(synthetic) == 30
    pd.testing.assert_series_equal(synthetic.dtypes, real.dtypes)
    assert synthetic["plan"].dtype == real["plan"].dtype  # same categories, same order


def test_fit_streams_a_folder_of_parquet_files(files, tmp_path, capsys):
    table = read_table(files / "table.parquet")
    folder = tmp_path / "parts"
    write_table(table.iloc[:70], folder / "a.parquet")
    write_table(table.iloc[70:], folder / "b.parquet")
    model = tmp_path / "f.vae"
    fit = ["fit", folder, "--target", "risk", "-o", model, *FAST, "--quiet"]
    code, out, _ = run(fit, capsys)
    assert code == 0
    assert "Fitted on 120 rows and 7 columns, conditional on 'risk'" in out
    assert list(load(model).feature_names_in_) == FEATURES
    code, _, err = run([*fit[:2], "--target", "nope", *fit[4:]], capsys)
    assert code == 1 and "--target 'nope' is not a column" in err


def test_sample_to_parquet_gives_the_library_rows(files, tmp_path, capsys):
    out = tmp_path / "s.parquet"
    argv = ["sample", files / "m.vae", "--class", "bad=7", "--class", "good=5"]
    assert run([*argv, "--seed", 3, "-o", out], capsys)[0] == 0
    X, y = load(files / "m.vae").sample(y={"bad": 7, "good": 5}, random_state=3)
    pd.testing.assert_frame_equal(
        read_table(out), read_table_of(X.assign(risk=y), tmp_path)
    )


def read_table_of(frame, folder):
    """``frame`` as read back from a Parquet file (the command line's reader)."""
    write_table(frame, folder / "expected.parquet")
    return read_table(folder / "expected.parquet")


def test_sample_seed_decides_the_rows(files, tmp_path, capsys):
    def sample(name, *seed):
        run(["sample", files / "m.vae", "-n", 20, "-o", tmp_path / name, *seed], capsys)
        return read_table(tmp_path / name)

    first, again = sample("a.csv", "--seed", 1), sample("b.csv", "--seed", 1)
    other = sample("c.csv", "--seed", 2)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_denoise_fills_missing_cells_and_keeps_other_columns(files, tmp_path, capsys):
    code, out, _ = run(
        ["denoise", files / "m.vae", files / "table.csv", "-o", tmp_path / "clean.csv"],
        capsys,
    )
    assert code == 0
    real = read_table(files / "table.csv")
    clean = read_table(tmp_path / "clean.csv")
    assert f"({int(real[FEATURES].isna().sum().sum())} missing cells filled in)" in out
    assert list(clean.columns) == list(real.columns)
    assert clean[FEATURES].notna().all().all()
    pd.testing.assert_series_equal(clean["risk"], real["risk"])


def test_report_writes_scores_and_plots(files, tmp_path, capsys):
    synthetic = tmp_path / "s.csv"
    run(["sample", files / "m.vae", "-n", 60, "-o", synthetic], capsys)
    report = tmp_path / "report"
    model = ["--model", files / "m.vae", "--target", "risk"]
    code, out, _ = run(
        ["report", files / "table.csv", synthetic, "-o", report, *model], capsys
    )
    assert code == 0 and "column shapes" in out and "detection AUC" in out
    scores = json.loads((report / "quality.json").read_text())
    assert (scores["real_rows"], scores["synthetic_rows"]) == (120, 60)
    assert 0 < scores["overall"] <= 1 and 0 <= scores["detection_auc"] <= 1
    assert scores["holdout"] is None and scores["dcr_ratio"] is None
    assert scores["tstr"]["task"] == "classification"  # --target risk: TSTR scores
    assert [c["column"] for c in scores["columns"]] == [*FEATURES, "risk"]
    for name in ("marginals", "associations", "training_curves", "latent"):
        assert (report / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert "pairs (score: 1 = same relation" in (report / "quality.txt").read_text()
    page = (report / "report.html").read_text()
    assert page.count('<img src="data:image/png;base64,') == 4
    assert 'alt="Training curves"' in page and 'alt="Latent space"' in page


def test_report_with_held_out_rows_and_a_page_elsewhere(files, tmp_path, capsys):
    holdout = make_mixed_frame(80, seed=1)[0].assign(risk="good")
    write_table(holdout, tmp_path / "holdout.csv")
    page = tmp_path / "pages" / "q.html"
    argv = ["report", files / "table.csv", tmp_path / "holdout.csv", "-o", tmp_path / "r"]
    extra = ["--holdout", tmp_path / "holdout.csv", "--html", page, "--seed", 3]
    code, out, _ = run([*argv, *extra], capsys)
    assert code == 0 and "(80 held out)" in out
    scores = json.loads((tmp_path / "r" / "quality.json").read_text())
    assert scores["holdout"]["rows"] == 80 and scores["holdout"]["dcr_ratio"] == 1.0
    assert scores["copies"] == scores["holdout"]["copies"] == 0.0
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert not (tmp_path / "r" / "report.html").exists()


@pytest.mark.parametrize("command", ["fit", "sample", "denoise", "report", "demo"])
def test_every_command_has_help(command, capsys):
    code, out, _ = run([command, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"usage: vae-augment {command}")


def test_demo_writes_synthetic_rows_and_summary(tmp_path, capsys):
    assert main(["demo", "--output", str(tmp_path), "--n-samples", "60"]) == 0
    synthetic = pd.read_csv(tmp_path / "synthetic.csv")
    assert list(synthetic.columns) == list(load_penguins().columns)
    assert len(synthetic) == 60
    assert set(synthetic["species"]) <= {"Adelie", "Chinstrap", "Gentoo"}
    summary = (tmp_path / "summary.txt").read_text()
    assert "column shapes" in summary and "pair trends" in summary
    assert "synthetic.csv" in capsys.readouterr().out


# ---------------------------------------------------------------------- bad input
def _bad_tables(folder):
    """Small CSV files with one problem each."""
    X, y = make_mixed_frame(40)
    write_table(X.assign(risk=y.mask(y.index < 2)), folder / "gap_target.csv")
    write_table(X.assign(income=float("inf")), folder / "inf.csv")
    (folder / "empty.csv").write_text("")
    write_table(X.drop(columns="city"), folder / "no_city.csv")
    write_table(X.assign(risk=y.mask(y.index < 3)), folder / "gap_target.parquet")
    (folder / "latin.csv").write_bytes("city,income\nBogotá,3\n".encode("latin-1"))
    (folder / "fake.csv.gz").write_text("city,income\nLima,3\n")  # not compressed
    (folder / "no_given.csv").write_text("plan,city\n")
    (folder / "3.csv").write_text("plan,city\npro,Lima\n,\nbasic,\n")
    (folder / "given_risk.csv").write_text("plan,risk\npro,bad\n")
    (folder / "given_wings.csv").write_text("plan,wings\npro,2\n")


# (arguments, exit code, what the one line on stderr says); {d} is the data folder.
BAD_INPUT = {
    "fit: missing DATA file": (
        ["fit", "{d}/nope.csv", "-o", "{d}/x.vae"],
        1,
        "no such file",
    ),
    "fit: DATA neither CSV nor Parquet": (
        ["fit", "{d}/table.txt", "-o", "{d}/x.vae"],
        2,
        "unknown table format '.txt'",
    ),
    "fit: empty DATA file": (["fit", "{d}/empty.csv", "-o", "{d}/x.vae"], 1, "cannot read"),
    "fit: --target not a column": (
        ["fit", "{d}/table.csv", "--target", "nope", "-o", "{d}/x.vae"],
        1,
        "--target 'nope' is not a column of",
    ),
    "fit: --target with missing values": (
        ["fit", "{d}/gap_target.csv", "--target", "risk", "-o", "{d}/x.vae"],
        1,
        "--target 'risk' has 2 missing value(s) in",
    ),
    "fit: MODEL named like a table (checked before DATA is read)": (
        ["fit", "{d}/nope.csv", "-o", "{d}/out.parquet"],
        2,
        "out.parquet is a table's name; writing the model there would overwrite the table",
    ),
    "fit: MODEL in a folder that is a file (checked before DATA is read)": (
        ["fit", "{d}/empty.csv", "-o", "{d}/table.csv/x.vae"],
        1,
        "File exists",
    ),
    "fit: infinite value in DATA": (
        ["fit", "{d}/inf.csv", "-o", "{d}/x.vae", *FAST],
        1,
        "'income' contains infinity",
    ),
    "fit: --latent-dim 0": (
        ["fit", "{d}/table.csv", "-o", "{d}/x.vae", "--latent-dim", "0"],
        2,
        "argument --latent-dim: expected a positive whole number, got '0'",
    ),
    "fit: --hidden-dims not numbers": (
        ["fit", "{d}/table.csv", "-o", "{d}/x.vae", "--hidden-dims", "64,x"],
        2,
        "argument --hidden-dims: expected positive whole numbers",
    ),
    "fit: --learning-rate negative": (
        ["fit", "{d}/table.csv", "-o", "{d}/x.vae", "--learning-rate", "-1"],
        2,
        "argument --learning-rate: expected a number >= 0",
    ),
    "fit: unknown --device": (
        ["fit", "{d}/table.csv", "-o", "{d}/x.vae", "--device", "tpu", *FAST],
        2,
        "argument --device: expected auto, cpu, cuda, cuda:N or mps, got 'tpu'",
    ),
    "sample: -n -5": (
        ["sample", "{d}/m.vae", "-n", "-5", "-o", "{d}/x.csv"],
        2,
        "argument -n: expected a positive whole number, got '-5'",
    ),
    "sample: -n not a number": (
        ["sample", "{d}/m.vae", "-n", "ten", "-o", "{d}/x.csv"],
        2,
        "argument -n: expected a positive whole number, got 'ten'",
    ),
    "sample: no -n and no --class": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv"],
        1,
        "give the number of rows with -n N",
    ),
    "sample: --class with an unknown label": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--class", "ugly=3"],
        1,
        "--class ugly=3: the model has no class 'ugly' (its classes: bad, good)",
    ),
    "sample: --class without =COUNT": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--class", "bad"],
        2,
        "expected LABEL=COUNT",
    ),
    "sample: --class with a negative count": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--class", "bad=-2"],
        2,
        "expected LABEL=COUNT",
    ),
    "sample: --class given twice": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--class", "bad=1", "--class", "bad=2"],
        1,
        "--class 'bad' is given twice",
    ),
    "sample: -n disagrees with --class": (
        ["sample", "{d}/m.vae", "-n", "5", "-o", "{d}/x.csv", "--class", "bad=3"],
        1,
        "-n asks for 5 rows but --class for 3; make them agree, or give only one",
    ),
    "sample: --class counts all 0": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--class", "bad=0"],
        1,
        "--class asks for no rows (every count is 0)",
    ),
    "sample: --class for a model without classes": (
        ["sample", "{d}/u.vae", "-o", "{d}/x.csv", "--class", "bad=3"],
        1,
        "--class: the model has no classes (fit it with --target on a column of class "
        "labels); ask for rows with -n",
    ),
    "sample: missing MODEL file": (
        ["sample", "{d}/nope.vae", "-n", "5", "-o", "{d}/x.csv"],
        1,
        "No such file or directory",
    ),
    "sample: MODEL is not a model file": (
        ["sample", "{d}/table.csv", "-n", "5", "-o", "{d}/x.csv"],
        1,
        "is not a vae_augment model file",
    ),
    "sample: OUT of unknown format": (
        ["sample", "{d}/m.vae", "-n", "5", "-o", "{d}/x.json"],
        2,
        "unknown table format '.json'",
    ),
    "denoise: DATA lacks a model column": (
        ["denoise", "{d}/m.vae", "{d}/no_city.csv", "-o", "{d}/x.csv"],
        1,
        "lacks the column(s) city that the model was fitted on",
    ),
    "report: SYNTHETIC with other columns": (
        ["report", "{d}/table.csv", "{d}/no_city.csv", "-o", "{d}/r"],
        1,
        "missing: city",
    ),
    "report: --target not a column": (
        ["report", "{d}/table.csv", "{d}/table.csv", "-o", "{d}/r", "--target", "nope"],
        1,
        "--target 'nope' is not a column of",
    ),
    "report: HOLDOUT with other columns": (
        [
            "report",
            "{d}/table.csv",
            "{d}/table.csv",
            "-o",
            "{d}/r",
            "--holdout",
            "{d}/no_city.csv",
        ],
        1,
        "missing: city",
    ),
    "fit: missing Parquet DATA": (
        ["fit", "{d}/nope.parquet", "-o", "{d}/x.vae"],
        1,
        "nope.parquet: no such file",
    ),
    "fit: Parquet --target with missing values": (
        ["fit", "{d}/gap_target.parquet", "--target", "risk", "-o", "{d}/x.vae"],
        1,
        "--target 'risk' has 3 missing value(s) in",
    ),
    "fit: -o - (a model is no table)": (
        ["fit", "{d}/table.csv", "-o", "-"],
        2,
        "argument -o/--output: a model is written to a file, not to standard output",
    ),
    "fit: DATA of an unknown compressed format": (
        ["fit", "{d}/table.json.gz", "-o", "{d}/x.vae"],
        2,
        "unknown table format '.json.gz'; use .csv, .tsv, .csv.gz, .tsv.gz, .parquet, "
        ".pq, or - for standard input/output (as CSV)",
    ),
    "fit: DATA not in the --encoding": (
        ["fit", "{d}/latin.csv", "-o", "{d}/x.vae"],
        1,
        "latin.csv is not utf-8 text: it holds the byte 0xe1, which utf-8 does not "
        "decode; pass --encoding with the file's encoding (e.g. --encoding latin-1)",
    ),
    "fit: unknown --encoding": (
        ["fit", "{d}/latin.csv", "-o", "{d}/x.vae", "--encoding", "klingon"],
        2,
        "argument --encoding: unknown text encoding 'klingon'",
    ),
    "fit: --sep of two characters": (
        ["fit", "{d}/table.csv", "-o", "{d}/x.vae", "--sep", ";;"],
        2,
        "argument --sep: expected one character",
    ),
    "fit: .csv.gz that is not gzip": (
        ["fit", "{d}/fake.csv.gz", "-o", "{d}/x.vae"],
        1,
        "fake.csv.gz: cannot read the table",
    ),
    "sample: -n 0": (
        ["sample", "{d}/m.vae", "-n", "0", "-o", "{d}/x.csv"],
        2,
        "argument -n: expected a positive whole number, got '0'",
    ),
    "sample: --given-file without rows": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--given-file", "{d}/no_given.csv"],
        1,
        "--given-file {d}/no_given.csv has no rows",
    ),
    "sample: -n disagrees with --given-file": (
        ["sample", "{d}/m.vae", "-n", "5", "-o", "{d}/x.csv", "--given-file", "{d}/3.csv"],
        1,
        "-n asks for 5 rows but --given-file for 3",
    ),
    "sample: --class disagrees with --given-file": (
        [
            *("sample", "{d}/m.vae", "--class", "bad=2"),
            *("-o", "{d}/x.csv", "--given-file", "{d}/3.csv"),
        ],
        1,
        "--class asks for 2 rows but --given-file for 3",
    ),
    "sample: --given-file names the target": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--given-file", "{d}/given_risk.csv"],
        1,
        "given_risk.csv: 'risk' is the model's target; ask for classes with --class",
    ),
    "sample: --given-file names no column of the model": (
        ["sample", "{d}/m.vae", "-o", "{d}/x.csv", "--given-file", "{d}/given_wings.csv"],
        1,
        "given_wings.csv: the model has no column 'wings' (its columns: income, visits",
    ),
    "sample: --given category never seen in fit": (
        ["sample", "{d}/m.vae", "-n", "2", "-o", "{d}/x.csv", "--given", "city=Atlantis"],
        1,
        "--given: given column 'city' holds ['Atlantis'], never seen in fit",
    ),
    "report: two inputs from standard input": (
        ["report", "-", "-", "-o", "{d}/r"],
        2,
        "only one input can be - (standard input is read once)",
    ),
    "unknown command": (["fly"], 2, "invalid choice: 'fly'"),
    "no command": ([], 2, "the following arguments are required: COMMAND"),
}


@pytest.fixture(scope="module")
def bad_files(files):
    _bad_tables(files)
    main(["fit", str(files / "table.csv"), "-o", str(files / "u.vae"), *FAST, "--quiet"])
    return files


@pytest.mark.parametrize(("argv", "code", "match"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_gets_one_line_and_an_exit_code(bad_files, capsys, argv, code, match):
    argv = [a.format(d=bad_files) for a in argv]
    got_code, _, err = run(argv, capsys)
    assert got_code == code
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("vae-augment") and ": error: " in err
    assert match.format(d=bad_files) in err
    # In the command's own terms, not the Python API's.
    assert not re.search(r"n_samples|sample\(\)|\by=|\bin y\b|\bgiven=|\bX names", err)


def test_report_without_matplotlib_names_the_extra(files, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    code, _, err = run(
        ["report", files / "table.csv", files / "table.csv", "-o", files / "r"], capsys
    )
    assert code == 1 and 'pip install "vae-augment[plots]"' in err


def test_parquet_without_pyarrow_names_the_extra(files, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _, err = run(["sample", files / "m.vae", "-n", 3, "-o", files / "x.pq"], capsys)
    assert code == 1 and 'pip install "vae-augment[parquet]"' in err


def test_library_warnings_are_one_line(files, tmp_path, capsys):
    table = read_table(files / "table.csv")
    table.loc[0, "city"] = "Atlantis"  # a level the model never saw
    write_table(table, tmp_path / "new.csv")
    code, _, err = run(
        ["denoise", files / "m.vae", tmp_path / "new.csv", "-o", tmp_path / "x.csv"], capsys
    )
    assert code == 0
    assert err.startswith("vae-augment: warning: ") and "'city'" in err
    assert err.count("\n") == 1


def test_whole_number_target_with_many_values_is_a_number(tmp_path, capsys):
    table = pd.DataFrame({"x": range(60), "price": [100 + 7 * k for k in range(60)]})
    write_table(table, tmp_path / "prices.csv")
    fit = ["fit", tmp_path / "prices.csv", "--target", "price", "-o", tmp_path / "p.vae"]
    code, out, err = run([*fit, *FAST, "--max-epochs", "2", "--quiet"], capsys)
    assert code == 0 and "modelled jointly" in out and not err
    assert load(tmp_path / "p.vae").model_.module.has_target_head
    no_head = [*fit, *FAST, "--max-epochs", "2", "--quiet", "--no-target-head"]
    code, _, _ = run(no_head, capsys)
    assert code == 0 and not load(tmp_path / "p.vae").model_.module.has_target_head
    code, out, err = run([*fit, *FAST, "--quiet", "--target-type", "classes"], capsys)
    assert code == 0 and "60 classes" in out


def test_ambiguous_whole_number_target_gets_a_hint(tmp_path, capsys):
    table = pd.DataFrame({"x": range(1000), "code": [k % 30 for k in range(1000)]})
    write_table(table, tmp_path / "codes.csv")
    fit = ["fit", tmp_path / "codes.csv", "--target", "code", "-o", tmp_path / "c.vae"]
    code, _, err = run([*fit, *FAST, "--max-epochs", "1", "--quiet"], capsys)
    assert code == 0
    assert "modelled as 30 classes" in err and "--target-type continuous" in err
    assert "target_type=" not in err


def test_denoise_with_a_model_fitted_on_an_array(tmp_path, capsys):
    rng = np.random.default_rng(0)
    VAEAugmenter(max_epochs=2, random_state=0).fit(rng.normal(size=(50, 3))).save(
        tmp_path / "array.vae"
    )
    data = pd.DataFrame(rng.normal(size=(4, 3)), columns=["a", "b", "c"])
    data.loc[0, "b"] = np.nan
    write_table(data, tmp_path / "noisy.csv")
    argv = ["denoise", tmp_path / "array.vae", tmp_path / "noisy.csv"]
    code, _, err = run([*argv, "-o", tmp_path / "clean.csv"], capsys)
    assert code == 0 and not err
    clean = read_table(tmp_path / "clean.csv")
    assert list(clean.columns) == ["a", "b", "c"] and clean.notna().all().all()


# ------------------------------------------- silent wrong output and unclear errors
@pytest.mark.parametrize("separator", [";", "\t", "|"], ids=["semicolon", "tab", "bar"])
def test_csv_with_another_separator_is_refused(tmp_path, capsys, separator):
    (tmp_path / "semi.csv").write_text(separator.join("abc") + "\n1;2;3\n4;5;6\n")
    code, _, err = run(["fit", tmp_path / "semi.csv", "-o", tmp_path / "m.vae"], capsys)
    shown = {";": "';'", "\t": "'\\t'", "|": "'|'"}[separator]
    assert code == 1 and f"looks like a {shown}-separated file: pass --sep {shown}" in err
    assert not (tmp_path / "m.vae").exists()


def test_outputs_never_overwrite_the_inputs(files, tmp_path, capsys):
    (tmp_path / "data.csv").write_bytes((files / "table.csv").read_bytes())
    before = (tmp_path / "data.csv").read_bytes()
    denoise = ["denoise", files / "m.vae", tmp_path / "data.csv", "-o"]
    code, _, err = run([*denoise, tmp_path / "data.csv"], capsys)
    assert code == 1 and "is the DATA this command reads" in err
    assert (tmp_path / "data.csv").read_bytes() == before
    model_as_table = tmp_path / "model.csv"  # a model file under a table's name
    model_as_table.write_bytes((files / "m.vae").read_bytes())
    code, _, err = run(["sample", model_as_table, "-n", "3", "-o", model_as_table], capsys)
    assert code == 1 and "is the MODEL this command reads" in err
    assert model_as_table.read_bytes() == (files / "m.vae").read_bytes()


def test_a_target_named_like_a_column_is_not_written_over_it(tmp_path, capsys):
    X, _ = make_mixed_frame(80)
    y = X["visits"].rename("income")  # the target's name is also a feature's
    VAEAugmenter(max_epochs=2, random_state=0).fit(X, y).save(tmp_path / "m.vae")
    sample = ["sample", tmp_path / "m.vae", "-n", "5", "-o", tmp_path / "out.csv"]
    code, _, err = run(sample, capsys)
    assert code == 1 and "target is named 'income', as one of its columns" in err
    assert not (tmp_path / "out.csv").exists()


def test_columns_of_a_model_with_integer_names_are_matched_by_name(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(80, 3)) * [1.0, 1000.0, 1e6])  # names 0, 1, 2
    model = VAEAugmenter(max_epochs=20, random_state=0).fit(X)
    model.save(tmp_path / "m.vae")
    swapped = X[[1, 2, 0]].rename(columns=str)
    write_table(swapped, tmp_path / "swapped.csv")
    denoise = ["denoise", tmp_path / "m.vae", tmp_path / "swapped.csv"]
    assert run([*denoise, "-o", tmp_path / "out.csv"], capsys)[0] == 0
    out = read_table(tmp_path / "out.csv")
    assert list(out.columns) == ["1", "2", "0"]  # the file's own order, kept
    expected = model.transform(X).rename(columns=str)
    for column in out.columns:  # each value under the column it belongs to
        np.testing.assert_allclose(out[column], expected[column], rtol=1e-6)
    write_table(swapped.drop(columns="2"), tmp_path / "part.csv")
    part = ["denoise", tmp_path / "m.vae", tmp_path / "part.csv"]
    code, _, err = run([*part, "-o", tmp_path / "o.csv"], capsys)
    assert code == 1 and "lacks the column(s) 2" in err


@pytest.mark.parametrize("seed", ["-1", "1.5", str(2**32)])
def test_seed_out_of_range_names_the_option(files, tmp_path, capsys, seed):
    sample = ["sample", files / "m.vae", "-n", "3", "-o", tmp_path / "o.csv"]
    code, _, err = run([*sample, "--seed", seed], capsys)
    assert code == 2 and "--seed: expected a whole number from 0 to 4294967295" in err


# ------------------------------------------------------- conditions and imputation
def test_sample_with_given_values_and_a_given_file(files, tmp_path, capsys):
    sample = ["sample", files / "m.vae", "-o", tmp_path / "s.csv", "--seed", "0"]
    code, out, _ = run(
        [*sample, "-n", "20", "--given", "city=Lima", "--given", "visits=3"], capsys
    )
    assert code == 0 and "Wrote 20 rows" in out
    rows = read_table(tmp_path / "s.csv")
    assert (rows["city"] == "Lima").all() and (rows["visits"] == 3).all()
    write_table(pd.DataFrame({"plan": ["pro", None, "basic"]}), tmp_path / "given.csv")
    given = ["sample", files / "m.vae", "-o", tmp_path / "g.parquet", "--given-file"]
    code, out, _ = run([*given, tmp_path / "given.csv"], capsys)
    assert code == 0 and "Wrote 3 rows" in out
    written = read_table(tmp_path / "g.parquet")
    assert written["plan"].tolist()[0] == "pro" and written["plan"].tolist()[2] == "basic"
    code, _, err = run([*sample, "-n", "2", "--given", "wings=2"], capsys)
    assert code == 1 and "has no column 'wings'" in err
    code, _, err = run([*sample, "-n", "2", "--given", "city=Atlantis"], capsys)
    assert code == 1 and "never seen in fit" in err


def test_impute_fills_only_missing_cells(files, tmp_path, capsys):
    data = read_table(files / "table.csv")
    impute = ["impute", files / "m.vae", files / "table.csv", "-o", tmp_path / "full.csv"]
    code, out, _ = run(impute, capsys)
    assert code == 0 and f"Filled in {int(data[FEATURES].isna().sum().sum())}" in out
    full = read_table(tmp_path / "full.csv")
    assert not full[FEATURES].isna().any().any()
    for column in FEATURES:
        observed = data[column].notna()
        assert full[column][observed].tolist() == data[column][observed].tolist(), column
    assert full["risk"].tolist() == data["risk"].tolist()  # not a feature: passes through
    code, _, _ = run([*impute, "--draw", "--seed", "1"], capsys)
    assert code == 0


def test_given_options_in_the_command_lines_terms(files, tmp_path, capsys):
    sample = ["sample", files / "m.vae", "-n", "3", "-o", tmp_path / "s.csv"]
    code, _, err = run([*sample, "--given", "risk=bad"], capsys)
    assert code == 1 and "'risk' is the model's target; ask for classes with --class" in err
    code, _, err = run([*sample, "--given", "visits=2", "--given", "visits=3"], capsys)
    assert code == 1 and "--given visits is given twice" in err
    code, _, err = run([*sample, "--given", "visits=2.5"], capsys)
    assert code == 1 and "expected a whole number" in err
    assert run([*sample, "--given", "visits=2.0"], capsys)[0] == 0
    (tmp_path / "empty.csv").write_text(",".join(FEATURES) + "\n")
    impute = ["impute", files / "m.vae", tmp_path / "empty.csv", "-o", tmp_path / "x.csv"]
    code, _, err = run(impute, capsys)
    assert code == 1 and "has no rows" in err


def test_given_file_matches_categories_as_text(tmp_path, capsys):
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {"size": rng.choice(["4", "6", "rotary"], 120), "price": rng.normal(20, 3, 120)}
    )
    table.to_csv(tmp_path / "cars.csv", index=False)
    fit = ["fit", tmp_path / "cars.csv", "-o", tmp_path / "c.vae", *FAST, "--quiet"]
    assert run(fit, capsys)[0] == 0
    (tmp_path / "given.csv").write_text("size,price\n4,20.5\n6,\n")  # 4 reads as a number
    sample = ["sample", tmp_path / "c.vae", "-o", tmp_path / "g.csv", "--given-file"]
    assert run([*sample, tmp_path / "given.csv"], capsys)[0] == 0
    assert read_table(tmp_path / "g.csv")["size"].astype(str).tolist() == ["4", "6"]


def test_impute_to_parquet_keeps_the_columns_dtypes(files, tmp_path, capsys):
    impute = ["impute", files / "m.vae", files / "table.parquet"]
    assert run([*impute, "-o", tmp_path / "full.parquet"], capsys)[0] == 0
    full, data = read_table(tmp_path / "full.parquet"), read_table(files / "table.parquet")
    pd.testing.assert_series_equal(full.dtypes, data.dtypes)
    assert not full[FEATURES].isna().any().any()


def test_parts_of_a_table_are_read_as_the_whole_was(tmp_path, capsys):
    # "rotary" makes Cylinders text in the training rows; the held-out rows, without
    # it, would read as integers and differ from the training rows in kind.
    rng = np.random.default_rng(0)
    cylinders = np.where(np.arange(120) < 90, rng.choice(["4", "6"], 120), "4")
    cylinders[3] = "rotary"
    table = pd.DataFrame({"price": rng.normal(20, 5, 120), "Cylinders": cylinders})
    write_table(table[:90], tmp_path / "train.csv")
    write_table(table[90:], tmp_path / "held.csv")
    fit = ["fit", tmp_path / "train.csv", "-o", tmp_path / "m.vae", *FAST, "--quiet"]
    assert run(fit, capsys)[0] == 0
    denoise = ["denoise", tmp_path / "m.vae", tmp_path / "held.csv"]
    code, _, err = run([*denoise, "-o", tmp_path / "clean.csv"], capsys)
    assert code == 0 and "never seen" not in err
    clean = read_table(tmp_path / "clean.csv", text_columns={"Cylinders"})
    assert set(clean["Cylinders"]) <= {"4", "6", "rotary"}
    report = ["report", tmp_path / "train.csv", tmp_path / "held.csv"]
    code, _, err = run(
        [*report, "--holdout", tmp_path / "held.csv", "-o", tmp_path / "r"], capsys
    )
    assert code == 0, err


def test_fit_warnings_name_the_command_options(tmp_path, capsys):
    table = pd.DataFrame({"x": np.arange(200.0), "y": np.arange(200.0) % 7})
    write_table(table, tmp_path / "t.csv")
    fit = ["fit", tmp_path / "t.csv", "-o", tmp_path / "t.vae", "--quiet"]
    with warnings.catch_warnings():
        warnings.simplefilter("always", MaxEpochsWarning)  # pyproject ignores it
        code, _, err = run([*fit, "--max-epochs", "1", "--seed", "0"], capsys)
    assert code == 0 and "--max-epochs 1" in err and "max_epochs=" not in err


def test_given_values_are_quoted_as_numbers(files, tmp_path, capsys):
    sample = ["sample", files / "m.vae", "-n", "3", "-o", tmp_path / "s.csv"]
    code, _, err = run([*sample, "--given", "income=1e12"], capsys)
    assert code == 1 and "1000000000000.0" in err and "np." not in err
