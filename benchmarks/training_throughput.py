"""Training throughput on a large synthetic-schema table: VAEAugmenter vs TVAE.

The table has 20 columns -- 12 numeric (normal, log-normal, integer counts) and 8
categorical (2 to 50 levels) -- and ``--rows`` rows. Each synthesizer trains for
``--epochs`` epochs on the whole table (no early stopping, no validation split); the
figure is training rows per second, ``epochs * rows / fit time`` (TVAE's includes its
per-column preprocessing, ours its codec). Meant for a GPU machine::

    python benchmarks/training_throughput.py --rows 1000000 --device cuda
    python benchmarks/training_throughput.py --rows 20000 --epochs 2   # CPU smoke test
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from measures import PeakMemory
from real_tables import warm_up

from vae_augment import VAEAugmenter


def synthetic_schema_table(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """A 20-column mixed table with correlated columns, ``n_rows`` rows."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n_rows, 4))
    columns = {}
    for j in range(12):
        signal = base[:, j % 4] + 0.5 * rng.normal(size=n_rows)
        if j % 3 == 0:
            columns[f"num{j}"] = signal
        elif j % 3 == 1:
            columns[f"num{j}"] = np.exp(signal)
        else:
            columns[f"num{j}"] = rng.poisson(np.exp(0.5 * signal))
    for j, n_levels in enumerate((2, 3, 5, 8, 12, 20, 30, 50)):
        cut = np.quantile(base[:, j % 4], np.linspace(0, 1, n_levels + 1)[1:-1])
        codes = np.searchsorted(cut, base[:, j % 4] + 0.3 * rng.normal(size=n_rows))
        columns[f"cat{j}"] = pd.Categorical.from_codes(
            codes, [f"L{k}" for k in range(n_levels)]
        )
    return pd.DataFrame(columns)


def time_ours(frame: pd.DataFrame, epochs: int, device: str) -> dict:
    """Fit VAEAugmenter for exactly ``epochs`` epochs; rows/s, peak memory."""
    augmenter = VAEAugmenter(
        max_epochs=epochs,
        n_iter_no_change=epochs,
        validation_fraction=0.0,
        device=device,
        random_state=0,
    )
    with PeakMemory() as memory:
        start = time.perf_counter()
        augmenter.fit(frame)
        if augmenter.device_.type == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
    return {
        "fit_s": seconds,
        "rows_per_s": epochs * len(frame) / seconds,
        "peak_mb": memory.peak_mb,
    }


def time_tvae(frame: pd.DataFrame, epochs: int, device: str) -> dict:
    """Fit SDV's TVAE (batch size 500, its default) for ``epochs`` epochs."""
    from synthesizers import SDVSynthesizer

    synthesizer = SDVSynthesizer(
        "TVAE", options={"epochs": epochs, "enable_gpu": device != "cpu"}
    )
    with PeakMemory() as memory:
        start = time.perf_counter()
        synthesizer.fit(frame, target=None)
        seconds = time.perf_counter() - start
    return {
        "fit_s": seconds,
        "rows_per_s": epochs * len(frame) / seconds,
        "peak_mb": memory.peak_mb,
    }


def main(argv: list[str] | None = None) -> int:
    """Time both synthesizers and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--skip-tvae", action="store_true")
    args = parser.parse_args(argv)
    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    frame = synthetic_schema_table(args.rows)
    warm_up()
    results = {"VAEAugmenter": time_ours(frame, args.epochs, device)}
    if not args.skip_tvae:
        results["TVAE"] = time_tvae(frame, args.epochs, device)
    name = torch.cuda.get_device_name() if device.startswith("cuda") else "CPU"
    print(
        f"{args.rows:,} rows x 20 columns, {args.epochs} epochs, device {name}, "
        f"torch {torch.__version__} ({torch.get_num_threads()} CPU threads)\n"
    )
    print("| synthesizer | fit s | training rows/s | peak MB |\n|---|---|---|---|")
    for label, r in results.items():
        print(
            f"| {label} | {r['fit_s']:.1f} | {r['rows_per_s']:,.0f} | {r['peak_mb']:.0f} |"
        )
    if "TVAE" in results:
        ratio = results["VAEAugmenter"]["rows_per_s"] / results["TVAE"]["rows_per_s"]
        print(f"\nVAEAugmenter / TVAE training throughput: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
