"""Tables in every format the command line knows, ``-`` for the standard streams,
``--sep`` and ``--encoding``."""

import gzip
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import make_mixed_frame

import vae_augment
from vae_augment.table.io import read_table, write_table

COLUMNS = ["income", "visits", "age", "member", "plan", "city", "joined", "risk"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The mixed table as CSV and a model fitted on it (target ``risk``, last)."""
    from vae_augment.cli.main import main

    folder = tmp_path_factory.mktemp("streams")
    X, y = make_mixed_frame(120)
    write_table(X.assign(risk=y), folder / "table.csv")
    fit = ["fit", folder / "table.csv", "--target", "risk", "-o", folder / "m.vae"]
    fast = ["--max-epochs", "5", "--hidden-dims", "32,32", "--latent-dim", "4"]
    assert main([str(a) for a in [*fit, *fast, "--seed", "0", "--quiet"]]) == 0
    return folder


def test_version(cli):
    code, out, _ = cli("--version")
    assert code == 0 and out == f"vae-augment {vae_augment.__version__}\n"


# ------------------------------------------------------------------------ formats
@pytest.mark.parametrize("suffix", [".tsv", ".csv.gz", ".tsv.gz"])
def test_every_delimited_format_is_read_and_written(folder, tmp_path, cli, suffix):
    table = read_table(folder / "table.csv")
    write_table(table, tmp_path / f"data{suffix}")
    out = tmp_path / f"out{suffix}"
    assert cli("denoise", folder / "m.vae", tmp_path / f"data{suffix}", "-o", out)[0] == 0
    raw = out.read_bytes()
    if suffix.endswith(".gz"):
        assert raw[:2] == b"\x1f\x8b"  # gzip's magic number
        raw = gzip.decompress(raw)
    separator = "\t" if suffix.startswith(".tsv") else ","
    assert raw.decode().splitlines()[0] == separator.join(COLUMNS)
    denoised = read_table(out)
    assert list(denoised.columns) == COLUMNS and len(denoised) == 120
    assert denoised["risk"].tolist() == table["risk"].tolist()  # passed through


def test_fit_on_csv_gz_and_sample_to_tsv(folder, tmp_path, cli, fast_fit):
    table = read_table(folder / "table.csv")
    write_table(table, tmp_path / "table.csv.gz")
    fit = ["fit", tmp_path / "table.csv.gz", "--target", "risk", "-o", tmp_path / "m.vae"]
    assert cli(*fit, *fast_fit)[0] == 0
    assert cli("sample", tmp_path / "m.vae", "-n", 30, "-o", tmp_path / "s.tsv")[0] == 0
    sampled = read_table(tmp_path / "s.tsv")
    assert list(sampled.columns) == COLUMNS and len(sampled) == 30
    pd.testing.assert_series_equal(sampled.dtypes, table.dtypes)


def test_gzip_output_is_the_same_bytes_for_the_same_rows(folder, tmp_path, cli):
    for name in ("a.csv.gz", "b.csv.gz"):
        sample = ["sample", folder / "m.vae", "-n", 10, "--seed", 1]
        assert cli(*sample, "-o", tmp_path / name)[0] == 0
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()


# ---------------------------------------------------------------- --sep, --encoding
def test_semicolon_file_with_sep(tmp_path, cli, fast_fit):
    X, y = make_mixed_frame(120)
    X.assign(risk=y).to_csv(tmp_path / "semi.csv", sep=";", index=False)
    code, _, err = cli("fit", tmp_path / "semi.csv", "-o", tmp_path / "m.vae", *fast_fit)
    assert code == 1 and "pass --sep ';'" in err
    fit = ["fit", tmp_path / "semi.csv", "--sep", ";", "--target", "risk"]
    assert cli(*fit, "-o", tmp_path / "m.vae", *fast_fit)[0] == 0
    out = tmp_path / "out.csv"
    assert cli("sample", tmp_path / "m.vae", "-n", 5, "-o", out, "--sep", ";")[0] == 0
    assert out.read_text().splitlines()[0] == ";".join(COLUMNS)


@pytest.mark.parametrize(
    ("sep", "typed"), [("|", "|"), ("\t", "\\t"), ("\t", "tab")], ids=["bar", "\\t", "tab"]
)
def test_sep_overrides_the_names_separator(folder, tmp_path, cli, sep, typed):
    read_table(folder / "table.csv").to_csv(tmp_path / "data.csv", sep=sep, index=False)
    argv = ["denoise", folder / "m.vae", tmp_path / "data.csv", "-o", tmp_path / "o.tsv"]
    assert cli(*argv, "--sep", typed)[0] == 0
    assert (tmp_path / "o.tsv").read_text().splitlines()[0] == sep.join(COLUMNS)


def test_latin_1_file_with_encoding(tmp_path, cli, fast_fit):
    X, y = make_mixed_frame(120)
    X = X.assign(city=X["city"].map({"Lima": "Bogotá", "Oslo": "Malmö", "Pune": "Pune"}))
    X.assign(risk=y).to_csv(tmp_path / "latin.csv", index=False, encoding="latin-1")
    code, _, err = cli("fit", tmp_path / "latin.csv", "-o", tmp_path / "m.vae", *fast_fit)
    assert code == 1 and "is not utf-8 text" in err and "--encoding latin-1" in err
    fit = ["fit", tmp_path / "latin.csv", "--encoding", "latin-1", "--target", "risk"]
    assert cli(*fit, "-o", tmp_path / "m.vae", *fast_fit)[0] == 0
    sample = ["sample", tmp_path / "m.vae", "-n", 40, "--seed", 0]
    assert cli(*sample, "-o", tmp_path / "s.csv", "--encoding", "latin-1")[0] == 0
    written = (tmp_path / "s.csv").read_bytes()
    assert set(pd.read_csv(io.BytesIO(written), encoding="latin-1")["city"]) <= {
        "Bogotá",
        "Malmö",
        "Pune",
    }
    assert "Bogotá".encode("latin-1") in written
    code, _, err = cli(*sample, "-o", tmp_path / "a.csv", "--encoding", "ascii")
    assert code == 1 and "cannot be written in ascii; pass another --encoding" in err
    assert not (tmp_path / "a.csv").exists()  # no half-written file


# ------------------------------------------------------------ the standard streams
def test_fit_from_standard_input_and_sample_to_standard_output(
    folder, tmp_path, cli, fast_fit
):
    csv = (folder / "table.csv").read_bytes()
    fit = ["fit", "-", "--target", "risk", "-o", tmp_path / "m.vae", *fast_fit]
    code, out, _ = cli(*fit, stdin=csv)
    assert code == 0 and "Fitted on 120 rows and 7 columns" in out
    code, out, err = cli("sample", tmp_path / "m.vae", "-n", 12, "-o", "-")
    assert code == 0
    sampled = pd.read_csv(io.StringIO(out))  # standard output holds the table only
    assert list(sampled.columns) == COLUMNS and len(sampled) == 12
    assert err == "Wrote 12 rows to standard output\n"


@pytest.mark.parametrize("command", ["denoise", "impute"])
def test_rewriting_commands_read_and_write_the_standard_streams(folder, cli, command):
    csv = (folder / "table.csv").read_bytes()
    code, out, err = cli(command, folder / "m.vae", "-", "-o", "-", stdin=csv)
    assert code == 0 and "Wrote them to standard output" in err
    rows = pd.read_csv(io.StringIO(out))
    assert list(rows.columns) == COLUMNS and len(rows) == 120
    assert rows.drop(columns="risk").notna().all().all()


def test_given_file_from_standard_input(folder, tmp_path, cli):
    sample = ["sample", folder / "m.vae", "-o", tmp_path / "s.csv", "--given-file", "-"]
    code, out, _ = cli(*sample, stdin=b"city\nLima\nOslo\n")
    assert code == 0 and "Wrote 2 rows to" in out
    assert read_table(tmp_path / "s.csv")["city"].tolist() == ["Lima", "Oslo"]


def _shell(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a shell script in which ``$VAE`` is this package's ``vae-augment``."""
    root = str(Path(vae_augment.__file__).parents[1])
    env = {
        **os.environ,
        "VAE": f"{sys.executable} -m vae_augment.cli.main",
        "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        ["bash", "-c", f"set -eo pipefail\n{script}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_shell_pipe_from_standard_input_to_standard_output(folder, tmp_path):
    (tmp_path / "table.csv").write_bytes((folder / "table.csv").read_bytes())
    fast = "--max-epochs 5 --hidden-dims 32,32 --latent-dim 4 --seed 0 --quiet"
    done = _shell(
        f"cat table.csv | $VAE fit - --target risk -o m.vae {fast} > fit.txt\n"
        "$VAE sample m.vae -n 30 -o - 2> sample.txt | cat > out.csv\n"
        # A reader that has gone before the rows come: a quiet stop, no traceback.
        "($VAE sample m.vae -n 5 -o - 2> closed.txt || echo $? > status.txt) | true\n",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fit.txt").read_text().startswith("Fitted on 120 rows")
    assert (tmp_path / "sample.txt").read_text() == "Wrote 30 rows to standard output\n"
    out = read_table(tmp_path / "out.csv")  # standard output held the table only
    assert list(out.columns) == COLUMNS and len(out) == 30
    assert (tmp_path / "closed.txt").read_text() == ""
    assert (tmp_path / "status.txt").read_text() == "1\n"
