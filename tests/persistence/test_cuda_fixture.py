"""A model fitted and saved on a CUDA device loads and works on a CPU-only machine.

``tests/persistence/data/cuda_fitted/`` is written on a GPU machine by
``benchmarks/gpu_check.py`` (its ``OUT/cuda_fitted/``): the model file and, from the
same run on CUDA, the scores and transform of its first 30 training rows. Until a GPU
session has written it, the test is skipped.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from vae_augment import load

FIXTURE = Path(__file__).resolve().parent / "data" / "cuda_fitted"

pytestmark = pytest.mark.skipif(
    not (FIXTURE / "model.vae").exists(),
    reason="written on a GPU machine by benchmarks/gpu_check.py; none has run it yet",
)


def test_a_cuda_model_file_scores_and_samples_on_the_cpu(monkeypatch):
    expected = json.loads((FIXTURE / "expected.json").read_text())
    assert expected["device"].startswith("cuda")
    X = pd.read_parquet(FIXTURE / "mixed_X.parquet")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="loaded on the CPU"):
        model = load(FIXTURE / "model.vae")
    assert model.device_.type == "cpu"
    # The weights are the same; only the kernels' float32 rounding differs.
    np.testing.assert_allclose(
        model.score_samples(X.iloc[:30]), expected["scores"], rtol=1e-4, atol=1e-3
    )
    pd.testing.assert_frame_equal(
        model.transform(X.iloc[:30]),
        pd.read_parquet(FIXTURE / "transform.parquet"),
        check_exact=False,
        rtol=1e-4,
        atol=1e-3,
    )
    X_new, y_new = model.sample(50, random_state=0)
    assert list(X_new.columns) == list(X.columns)
    assert (X_new.dtypes == X.dtypes).all()
    assert len(y_new) == 50
