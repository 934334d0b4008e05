"""Training in several processes (``torchrun``, gloo backend, two CPU processes).

The processes must end with the same model (weights, latent prior, codec), and that
model must be as good as a single-process fit on the same rows.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn.datasets import load_breast_cancer

import vae_augment
from vae_augment import VAEAugmenter

SCRIPT = Path(__file__).with_name("distributed_fit.py")
N_TRAIN = 450


@pytest.fixture(scope="module")
def split():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X.iloc[:N_TRAIN], y.iloc[:N_TRAIN].rename("target"), X.iloc[N_TRAIN:]


@pytest.fixture(scope="module")
def two_process_fit(tmp_path_factory, split):
    X, y, _ = split
    folder = tmp_path_factory.mktemp("distributed")
    train = X.assign(target=y)
    train.to_csv(folder / "train.csv", index=False)
    # Four row groups: each of the two processes streams two.
    pq.write_table(
        pa.Table.from_pandas(train, preserve_index=False),
        folder / "train.parquet",
        row_group_size=-(-N_TRAIN // 4),
    )
    broken = train.astype({"target": "float64"})
    broken.loc[7, "target"] = float("nan")
    pq.write_table(
        pa.Table.from_pandas(broken, preserve_index=False),
        folder / "missing_target.parquet",
        row_group_size=-(-N_TRAIN // 4),
    )
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=2",
        str(SCRIPT),
        str(folder),
        str(folder / "train.csv"),
        str(folder / "train.parquet"),
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Warning" not in done.stderr, done.stderr[-3000:]  # a clean run says nothing
    ranks = [json.loads((folder / f"rank{r}.json").read_text()) for r in (0, 1)]
    return folder, ranks


def test_processes_end_with_the_same_model(two_process_fit):
    _, (first, second) = two_process_fit
    assert first["world_size"] == second["world_size"] == 2
    assert first["memory"] == second["memory"]
    assert first["parquet"] == second["parquet"]
    assert first["n_iter"] == second["n_iter"]


def test_an_error_in_process_0_is_raised_in_every_process(two_process_fit):
    _, (first, second) = two_process_fit
    assert first["failure"].startswith("ValueError") and "missing" in first["failure"]
    assert second["failure"].startswith("RuntimeError: Process 0")
    assert first["failure"] in second["failure"]


@pytest.mark.parametrize("source", ["memory", "parquet"])
def test_two_processes_fit_as_well_as_one(two_process_fit, split, source):
    folder, _ = two_process_fit
    X, y, X_test = split
    distributed = vae_augment.load(folder / f"{source}.vae")
    data = (X, y) if source == "memory" else (folder / "train.parquet", "target")
    single = VAEAugmenter(random_state=0, rules=None if source == "memory" else "auto")
    single.fit(*data)
    # Same seed, so the same validation rows: the losses compare like for like.
    assert distributed.best_loss_ <= 1.05 * single.best_loss_
    # Held-out rows' mean ELBO (noisier: 119 rows of heavy-tailed columns).
    single_score = single.score(X_test)
    assert distributed.score(X_test) >= single_score - 0.1 * abs(single_score)
    rows, labels = distributed.sample(200, random_state=0)
    assert list(rows.columns) == list(X.columns)
    assert set(labels) == {0, 1}
    pd.testing.assert_index_equal(
        pd.Index(distributed.feature_names_in_), pd.Index(X.columns)
    )
