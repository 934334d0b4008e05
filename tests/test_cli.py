"""The ``vae-augment`` command line."""

import pandas as pd
import pytest

from vae_augment import load_penguins
from vae_augment._cli import main


def test_demo_writes_synthetic_rows_and_summary(tmp_path, capsys):
    assert main(["demo", "--output", str(tmp_path), "--n-samples", "60"]) == 0
    synthetic = pd.read_csv(tmp_path / "synthetic.csv")
    assert list(synthetic.columns) == list(load_penguins().columns)
    assert len(synthetic) == 60
    assert set(synthetic["species"]) <= {"Adelie", "Chinstrap", "Gentoo"}
    summary = (tmp_path / "summary.txt").read_text()
    assert "column shapes" in summary and "pair trends" in summary
    assert "synthetic.csv" in capsys.readouterr().out


def test_unknown_command_exits_with_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["fly"])
    assert exit_info.value.code == 2
    assert "usage: vae-augment" in capsys.readouterr().err
