"""Larger than memory: fit from Parquet and sample to Parquet at 1M and 10M rows.

Writes a 20-column mixed table (8 float, 4 integer, 4 categorical, 2 boolean, one
datetime and one text column with missing values) to Parquet in 250,000-row row groups,
then, each in a fresh child process:

* ``fit``: ``VAEAugmenter(max_epochs=2).fit(path)`` streamed from the file, with the
  time of the preparation pass (codec sample, validation rows) and of each epoch, and
  the process's peak resident memory (``ru_maxrss``) next to its resident memory after
  the imports;
* ``sample``: ``sample_to_parquet`` of as many rows as the table had (or
  ``--sample-rows``), from that model.

Nothing here is timed in the test suite. Run (about 20 minutes on 2 cores)::

    python benchmarks/scale.py --rows 1000000 10000000 --output docs/benchmarks.md

``--output`` replaces the section between the ``scale.py`` markers of the page; the
raw figures go to ``benchmarks/results/scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROW_GROUP_ROWS = 250_000
RESULTS = Path(__file__).parent / "results" / "scale.json"
_BEGIN = "<!-- BEGIN scale.py (generated; edit benchmarks/scale.py instead) -->"
_END = "<!-- END scale.py -->"


def _megabytes_now() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def make_chunk(n_rows: int, seed: int) -> pd.DataFrame:
    """``n_rows`` rows of the benchmark table: correlated, skewed and mixed columns."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n_rows, 3))
    region = rng.choice(np.array(["north", "south", "east", "west"]), n_rows)
    plan = rng.choice(np.array(["basic", "plus", "pro"]), n_rows, p=[0.6, 0.3, 0.1])
    columns = {
        "income": np.round(np.exp(10 + 0.5 * z[:, 0]), 2),
        "spend": np.round(np.exp(8 + 0.4 * z[:, 0] + 0.3 * z[:, 1]), 2),
        "balance": np.round(1000 * z[:, 1] + 200 * (plan == "pro"), 2),
        "score": np.round(600 + 80 * z[:, 2], 1),
        "rate": np.round(rng.beta(2, 5, n_rows), 4),
        "temperature": np.round(15 + 10 * np.sin(z[:, 2]) + rng.normal(0, 2, n_rows), 1),
        "ratio": np.round(np.exp(0.2 * z[:, 0] - 0.2 * z[:, 2]), 3),
        "noise": rng.normal(size=n_rows),
        "age": np.clip(np.round(40 + 12 * z[:, 2]), 18, 90).astype(np.int64),
        "visits": rng.poisson(np.exp(1 + 0.5 * z[:, 1])).astype(np.int64),
        "items": rng.poisson(3, n_rows).astype(np.int64),
        "tenure_days": rng.integers(0, 3650, n_rows),
        "region": pd.Categorical(region),
        "plan": pd.Categorical(plan),
        "channel": pd.Categorical(rng.choice(np.array(["web", "app", "store"]), n_rows)),
        "segment": pd.Categorical(rng.integers(0, 40, n_rows).astype(str)),
        "active": z[:, 1] + rng.normal(0, 1, n_rows) > 0,
        "churned": z[:, 0] - z[:, 1] + rng.normal(0, 1, n_rows) > 1.5,
        "signup": pd.Timestamp("2015-01-01")
        + pd.to_timedelta(rng.integers(0, 3650, n_rows), unit="D"),
        "referrer": pd.Series(
            rng.choice(np.array(["friend", "ad", "search"]), n_rows), dtype=object
        ).where(rng.random(n_rows) > 0.3),
    }
    return pd.DataFrame(columns)


def write_table(path: Path, n_rows: int) -> None:
    """Write the table in chunks, never holding more than one row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    for index, start in enumerate(range(0, n_rows, ROW_GROUP_ROWS)):
        chunk = make_chunk(min(ROW_GROUP_ROWS, n_rows - start), seed=index)
        table = pa.Table.from_pandas(
            chunk, preserve_index=False, schema=None if writer is None else writer.schema
        )
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()


def child(path: Path, n_rows: int, model: Path, n_sampled: int) -> dict:
    """Fit from ``path`` and sample ``n_sampled`` rows to Parquet, in this process."""
    import torch

    from vae_augment import VAEAugmenter
    from vae_augment.training import loop as _training

    torch.set_num_threads(os.cpu_count() or 1)
    epochs: list[float] = []
    train_epoch = _training._train_epoch

    def timed(*args, **kwargs):
        start = time.perf_counter()
        loss = train_epoch(*args, **kwargs)
        epochs.append(time.perf_counter() - start)
        return loss

    _training._train_epoch = timed
    after_imports = _megabytes_now()
    start = time.perf_counter()
    augmenter = VAEAugmenter(max_epochs=2, n_iter_no_change=5, random_state=0).fit(path)
    fit_s = time.perf_counter() - start
    fit_peak = _peak_megabytes()
    augmenter.save(model)
    start = time.perf_counter()
    sampled = model.with_suffix(".sample.parquet")
    augmenter.sample_to_parquet(sampled, n_sampled, random_state=0)
    sample_s = time.perf_counter() - start
    sampled.unlink()
    return {
        "rows": n_rows,
        "after_imports_mb": after_imports,
        "fit_s": fit_s,
        "epoch_s": epochs,
        "fit_peak_mb": fit_peak,
        "sampled": n_sampled,
        "sample_s": sample_s,
        "sample_peak_mb": _peak_megabytes(),
        "file_mb": path.stat().st_size / 2**20,
    }


def _markdown(results: list[dict], command: str) -> str:
    import torch

    lines = [
        _BEGIN,
        "",
        f"Command: `{command}`. Machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, torch "
        f"{torch.__version__}, {time.strftime('%Y-%m-%d')}. Table: 20 columns (8 float, "
        "4 integer, 4 categorical, 2 boolean, a datetime, a text column with 30 % "
        f"missing), {ROW_GROUP_ROWS:,}-row row groups; `max_epochs=2`, other parameters "
        "at their defaults. Peak RSS is the whole process's (`ru_maxrss`), imports "
        "included.",
        "",
        "| rows | Parquet MB | RSS after imports MB | fit peak RSS MB | preparation s | "
        "s per epoch | training rows/s | rows sampled | `sample_to_parquet` s | "
        "rows/s | peak RSS after sampling MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        epoch = float(np.mean(r["epoch_s"]))
        preparation = r["fit_s"] - sum(r["epoch_s"])
        lines.append(
            f"| {r['rows']:,} | {r['file_mb']:.0f} | {r['after_imports_mb']:.0f} | "
            f"{r['fit_peak_mb']:.0f} | {preparation:.0f} | {epoch:.0f} | "
            f"{r['rows'] / epoch:,.0f} | {r['sampled']:,} | {r['sample_s']:.0f} | "
            f"{r['sampled'] / r['sample_s']:,.0f} | {r['sample_peak_mb']:.0f} |"
        )
    lines += ["", _END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--sample-rows", type=int, help="rows to sample (default: as many as the table)"
    )
    parser.add_argument("--output", type=Path, help="page whose scale section to replace")
    parser.add_argument("--results", type=Path, default=RESULTS, help="raw figures (JSON)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        path, n_rows, model, n_sampled = args.child
        print(
            json.dumps(child(Path(path), int(n_rows), Path(model), int(n_sampled))),
            flush=True,
        )
        return 0
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for n_rows in args.rows:
            path = Path(folder) / f"table_{n_rows}.parquet"
            write_table(path, n_rows)
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(path),
                    str(n_rows),
                    str(Path(folder) / f"model_{n_rows}.vae"),
                    str(args.sample_rows or n_rows),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            results.append(json.loads(done.stdout.splitlines()[-1]))
            print(results[-1], flush=True)
            path.unlink()
    command = "python benchmarks/scale.py " + " ".join(argv or sys.argv[1:])
    args.results.write_text(json.dumps({"command": command, "results": results}, indent=1))
    section = _markdown(results, command)
    print(section)
    if args.output:
        page = args.output.read_text()
        if _BEGIN in page:
            before, rest = page.split(_BEGIN, 1)
            page = before + section + rest.split(_END, 1)[1]
        else:
            page = page.rstrip("\n") + "\n\n" + section + "\n"
        args.output.write_text(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
