"""The speed issue's GPU checks in one run of a few minutes, for a lent GPU machine.

1. The tests that need CUDA, and the estimator and model-file suites with the GPU
   visible (``device="auto"`` then fits on it).
2. A real fixture: a model fitted on CUDA, saved, with its scores and transform on
   CUDA (``OUT/cuda_fitted/``, 4 files; commit them as
   ``tests/persistence/data/cuda_fitted/``, which
   ``tests/persistence/test_cuda_fixture.py`` loads on the CPU).
3. Training rows/s of a 1M-row, 20-column table, ours against ctgan's TVAE (the model
   SDV's TVAE wraps) when ``ctgan`` imports (carry its wheels: see below).
4. ``sample`` rows/s to a DataFrame, 1M and 10M rows.
5. ``torchrun --nproc_per_node=1`` with the NCCL backend
   (``benchmarks/torchrun_smoke.py``).
6. Categorical draws on the GPU never pick a category of probability zero.

Everything is written to ``OUT/gpu_check.json`` and printed. The device machine has
torch, pandas, scikit-learn, scipy, pyarrow and pytest but no network; TVAE needs
``ctgan``, ``rdt`` and ``Faker`` as wheels in a carried folder (``pip download ctgan
rdt Faker --no-deps -d wheels``), installed with ``--wheels wheels``. Run from the
repository root::

    PYTHONPATH=. python3 benchmarks/gpu_check.py --out "$OUT" --wheels wheels
    .venv/bin/python benchmarks/gpu_check.py --out /tmp/gpu --smoke   # CPU try-out
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(ROOT))
sys.path.insert(2, str(ROOT / "tests"))

from helpers import make_mixed_frame  # noqa: E402
from training_throughput import synthetic_schema_table, time_ours  # noqa: E402

import vae_augment  # noqa: E402

CUDA_TESTS = [
    "tests/persistence/test_model_file.py",
    "tests/persistence/test_pickle.py",
    "tests/persistence/test_cuda_fixture.py",
    "tests/estimators/test_augmenter.py",
    "tests/fitting",
]


def run_tests(smoke: bool) -> dict:
    """The CUDA tests and the suites that fit on the visible GPU."""
    paths = CUDA_TESTS[:2] if smoke else CUDA_TESTS
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return {
        "returncode": done.returncode,
        "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
        "seconds": time.perf_counter() - start,
        "tail": done.stdout[-3000:] if done.returncode else "",
    }


def write_fixture(out: Path, device: str) -> dict:
    """Fit on ``device``, save, and record what the model gives there."""
    folder = out / "cuda_fitted"
    folder.mkdir(parents=True, exist_ok=True)
    X, y = make_mixed_frame(300, seed=0)
    X.to_parquet(folder / "mixed_X.parquet")
    model = vae_augment.VAEAugmenter(
        max_epochs=15, hidden_dims=(32, 32), latent_dim=4, device=device, random_state=0
    ).fit(X, y)
    model.save(folder / "model.vae")
    expected = {
        "device": str(model.device_),
        "torch": torch.__version__,
        "scores": model.score_samples(X.iloc[:30]).tolist(),
    }
    model.transform(X.iloc[:30]).to_parquet(folder / "transform.parquet")
    (folder / "expected.json").write_text(json.dumps(expected))
    return {"device": expected["device"], "files": sorted(p.name for p in folder.iterdir())}


def time_tvae_ctgan(frame: pd.DataFrame, epochs: int, device: str) -> dict | None:
    """ctgan's TVAE for ``epochs`` epochs (its default batch of 500), if it imports."""
    try:
        from ctgan import TVAE
    except ImportError:
        return None
    discrete = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    tvae = TVAE(epochs=epochs, cuda=device != "cpu")
    start = time.perf_counter()
    tvae.fit(frame, discrete_columns=discrete)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    tvae.sample(100_000)
    sample_seconds = time.perf_counter() - start
    return {
        "fit_s": seconds,
        "rows_per_s": epochs * len(frame) / seconds,
        "sample_rows_per_s": 100_000 / sample_seconds,
    }


def sampling_rates(frame: pd.DataFrame, device: str, sizes: list[int]) -> dict:
    """``sample(n)`` rows/s of a short fit (the median of three calls per size)."""
    model = vae_augment.VAEAugmenter(max_epochs=2, device=device, random_state=0).fit(
        frame.iloc[:100_000]
    )
    model.sample(10_000)
    rates = {}
    for n in sizes:
        times = []
        for seed in range(3):
            start = time.perf_counter()
            model.sample(n, random_state=seed)
            times.append(time.perf_counter() - start)
        rates[str(n)] = n / sorted(times)[1]
    return rates


def nccl_smoke() -> dict:
    """One torchrun process fitting through DDP on the NCCL (CUDA) or gloo backend."""
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=1",
        str(ROOT / "benchmarks" / "torchrun_smoke.py"),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=400)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return {
        "returncode": done.returncode,
        **(json.loads(lines[-1]) if lines else {}),
        "stderr_tail": done.stderr[-2000:] if done.returncode else "",
    }


def impossible_draws(device: str, n_rows: int) -> dict:
    """How often ``draw_categories`` picks a category of probability zero on ``device``
    (the latent prior pads groups with zero-weight components; a parallel prefix sum
    that is not monotone could pick one)."""
    from vae_augment.model.draws import draw_categories

    generator = torch.Generator(device=device).manual_seed(0)
    logits = torch.tensor([[0.3, float("-inf"), 1.2, float("-inf"), float("-inf")]])
    drawn = draw_categories(logits.to(device).expand(n_rows, -1), generator)
    return {"rows": n_rows, "impossible": int((drawn % 2 == 1).sum() + (drawn == 4).sum())}


def install_wheels(folder: Path) -> str:
    """``pip install --no-index`` every wheel of ``folder``; pip's last line."""
    wheels = sorted(str(p) for p in folder.glob("*.whl"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", *wheels],
        capture_output=True,
        text=True,
    )
    return (done.stdout + done.stderr).strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--wheels", type=Path, help="folder of wheels to install first")
    parser.add_argument(
        "--smoke", action="store_true", help="small sizes, any device (a try-out)"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu" and not args.smoke:
        raise SystemExit("no CUDA device: run with --smoke to try the script on a CPU")
    report: dict = {
        "device": torch.cuda.get_device_name() if device == "cuda" else "cpu",
        "torch": torch.__version__,
        "vae_augment": vae_augment.__version__,
        "cpu_count": os.cpu_count(),
    }
    steps = [
        ("wheels", lambda: install_wheels(args.wheels) if args.wheels else None),
        ("tests", lambda: run_tests(args.smoke)),
        ("fixture", lambda: write_fixture(args.out, device)),
    ]
    rows = 20_000 if args.smoke else 1_000_000
    frame = synthetic_schema_table(rows)
    steps += [
        ("training_ours", lambda: time_ours(frame, 1 if args.smoke else 3, device)),
        ("training_tvae", lambda: time_tvae_ctgan(frame, 1 if args.smoke else 3, device)),
        (
            "sample_rows_per_s",
            lambda: sampling_rates(
                frame, device, [20_000] if args.smoke else [1_000_000, 10_000_000]
            ),
        ),
        ("torchrun", nccl_smoke),
        (
            "impossible_draws",
            lambda: impossible_draws(device, 100_000 if args.smoke else 10_000_000),
        ),
    ]
    for name, step in steps:
        start = time.perf_counter()
        try:
            report[name] = step()
        except Exception as error:  # one failed check must not hide the others
            report[name] = {"error": f"{type(error).__name__}: {error}"}
        print(f"{name} ({time.perf_counter() - start:.0f} s): {report[name]}", flush=True)
        (args.out / "gpu_check.json").write_text(json.dumps(report, indent=1))
    ours, tvae = report.get("training_ours"), report.get("training_tvae")
    if isinstance(ours, dict) and isinstance(tvae, dict) and "rows_per_s" in tvae:
        report["training_ratio"] = ours["rows_per_s"] / tvae["rows_per_s"]
        print(f"training rows/s, ours / TVAE: {report['training_ratio']:.1f}x")
    (args.out / "gpu_check.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
