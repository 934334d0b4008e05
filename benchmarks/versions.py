"""Two checkouts of vae_augment on the benchmark tables, in one run: same rows, how fast.

For every table (the 70 % training rows of the fixed split, ``tables.py``) and both
checkouts, each measurement runs in a fresh process, the two checkouts alternating
(baseline first in odd repeats, second in even ones), so that machine noise hits both
alike. A process makes a warm-up fit on 500 rows (imports and first-use costs are not
timed), then fits ``VAEAugmenter(random_state=0)`` with the target as ``y``, samples
``--sample-rows`` rows and reconstructs the training rows, timing each, and hashes the
sampled and reconstructed rows. Times are medians over the repeats; "same rows" means
equal hashes in every repeat.

Use it to show that a change that should not alter results does not, and what it
costs::

    git worktree add /tmp/baseline <commit>
    .venv/bin/python benchmarks/versions.py --baseline /tmp/baseline --repeats 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WARM_UP_ROWS = 500


def _digest(frame) -> str:
    import pandas as pd

    hashed = pd.util.hash_pandas_object(frame.astype(str), index=False)
    return hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()[:16]


def measure(source: Path, table_name: str, sample_rows: int) -> dict:
    """Fit, sample and reconstruct one table with the checkout at ``source``."""
    sys.path.insert(0, str(source))
    sys.path.insert(1, str(HERE))
    import torch
    from tables import load_table, split_table

    import vae_augment
    from vae_augment import VAEAugmenter

    assert Path(vae_augment.__file__).resolve().is_relative_to(source.resolve())
    table = load_table(table_name)
    train, _ = split_table(table)
    X, y = train.drop(columns=table.target), train[table.target]
    VAEAugmenter(max_epochs=2, random_state=0).fit(X.iloc[:WARM_UP_ROWS], y[:WARM_UP_ROWS])
    start = time.perf_counter()
    augmenter = VAEAugmenter(random_state=0).fit(X, y)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    X_new, y_new = augmenter.sample(sample_rows, random_state=1)
    sample_s = time.perf_counter() - start
    start = time.perf_counter()
    reconstructed = augmenter.transform(X)
    transform_s = time.perf_counter() - start
    return {
        "fit_s": fit_s,
        "epochs": augmenter.n_iter_,
        "sample_rows_per_s": sample_rows / sample_s,
        "transform_rows_per_s": len(X) / transform_s,
        "sample_hash": _digest(X_new.assign(__y__=y_new)),
        "transform_hash": _digest(reconstructed),
        "torch": torch.__version__,
    }


def _run_child(source: Path, table: str, sample_rows: int) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(source),
        "--tables",
        table,
        "--sample-rows",
        str(sample_rows),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _same(runs: dict, key: str) -> str:
    """Whether both checkouts gave the same ``key`` hash in every repeat."""
    pairs = zip(runs["baseline"], runs["new"], strict=True)
    return "yes" if all(a[key] == b[key] for a, b in pairs) else "no"


def _markdown(results: dict, tables: list[str]) -> str:
    lines = [
        "| table | fit s: baseline / new (new ÷ baseline) | epochs | sample rows/s: "
        "baseline / new (new ÷ baseline) | transform rows/s: baseline / new | "
        "same sampled rows | same reconstructions |",
        "|---|---|---|---|---|---|---|",
    ]
    for table in tables:
        runs = results[table]
        fit, rate, rebuilt = (
            [_median(runs[v], key) for v in ("baseline", "new")]
            for key in ("fit_s", "sample_rows_per_s", "transform_rows_per_s")
        )
        epochs = f"{runs['baseline'][0]['epochs']} / {runs['new'][0]['epochs']}"
        lines.append(
            f"| {table} | {fit[0]:.2f} / {fit[1]:.2f} ({fit[1] / fit[0]:.2f}) | {epochs} "
            f"| {rate[0]:,.0f} / {rate[1]:,.0f} ({rate[1] / rate[0]:.2f}) "
            f"| {rebuilt[0]:,.0f} / {rebuilt[1]:,.0f} | {_same(runs, 'sample_hash')} "
            f"| {_same(runs, 'transform_hash')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="the other checkout's root")
    parser.add_argument("--new", type=Path, default=ROOT, help="default: this checkout")
    parser.add_argument(
        "--tables", default="penguins,breast_cancer,mlc_churn,loans,flights"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sample-rows", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "versions.json")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    tables = args.tables.split(",")
    if args.child is not None:
        print(json.dumps(measure(args.child, tables[0], args.sample_rows)))
        return
    if args.baseline is None:
        parser.error("--baseline is required")
    versions = {"baseline": args.baseline, "new": args.new}
    results: dict = {table: {"baseline": [], "new": []} for table in tables}
    for table in tables:
        for repeat in range(args.repeats):
            order = ["baseline", "new"] if repeat % 2 == 0 else ["new", "baseline"]
            for version in order:
                run = _run_child(versions[version], table, args.sample_rows)
                results[table][version].append(run)
                print(f"{table} {version} {repeat}: {run}", file=sys.stderr)
    machine = platform.processor() or platform.machine()
    report = {
        "machine": f"{machine}, Python {platform.python_version()}",
        "versions": {k: str(v) for k, v in versions.items()},
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    print(_markdown(results, tables))


if __name__ == "__main__":
    main()
