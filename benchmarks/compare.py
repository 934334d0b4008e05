"""Side-by-side comparison: VAEAugmenter vs SDV's TVAE and GaussianCopula (+ SMOTENC).

For every table (70/30 split, seed 0) and every synthesizer at its default settings:
fit wall time, peak memory of the fit, sampling throughput, SDMetrics quality (column
shapes, column-pair trends), detection AUC, train-on-synthetic-test-on-real ROC AUC,
exact copies of training rows and the distance-to-closest-record ratio; for every
table also the small-data lift (``lift.py``). Results go to a JSON file and, as tables
and plots, into ``docs/benchmarks.md`` between the ``compare.py`` markers.

Set up and run (a separate virtual environment: SDV pins its own pandas)::

    make bench                  # the full run, about an hour on 2 CPU cores
    make bench-smoke            # --fast: penguins only, one repeat (CI runs it)
    .venv-bench/bin/python benchmarks/compare.py --tables penguins,mlc_churn --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import torch

# Benchmark the checkout this file lives in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from lift import small_data_lift
from measures import (
    PeakMemory,
    dcr_ratio,
    detection_auc,
    exact_copies,
    sdmetrics_quality,
    tstr_auc,
)
from real_tables import parse_tables, source_fingerprint, warm_up
from synthesizers import SYNTHESIZERS, TabularARGNSynthesizer, VAESynthesizer, available
from tables import LOADERS, RealTable, load_table, split_table

import vae_augment

ROOT = Path(__file__).resolve().parents[1]
#: Rows sampled to time every synthesizer (the references sample a few thousand a second).
SAMPLE_ROWS = 20_000
#: Rows sampled to time VAEAugmenter at scale.
LARGE_SAMPLE_ROWS = 1_000_000
#: Rows of the warm-up fit before each timed fit.
WARM_UP_ROWS = 500
MARK_BEGIN = "<!-- BEGIN compare.py: generated, do not edit by hand -->"
MARK_END = "<!-- END compare.py -->"


def machine() -> dict[str, str]:
    """CPU model, cores, GPU and library versions of this run."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version(), "torch": torch.__version__}
    for package in ("sklearn", "pandas", "numpy", "sdv", "sdmetrics", "imblearn"):
        try:
            versions[package] = __import__(package).__version__
        except ImportError:
            versions[package] = "not installed"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "torch threads": str(torch.get_num_threads()),
        "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else "none",
        "vae_augment": f"{vae_augment.__version__} (sources {source_fingerprint()})",
        **versions,
    }


def _model_megabytes(synthesizer, n_rows: int) -> dict[str, float]:
    """Encoded training data and model state of a fitted VAEAugmenter, in MB."""
    augmenter = synthesizer.augmenter_
    n_numeric = len(augmenter.model_.table.codec.numeric)
    n_categorical = len(augmenter.model_.table.codec.categorical)
    # float32 numbers, int64 codes, a one-byte observed flag per cell, int64 label.
    row_bytes = 4 * n_numeric + 8 * n_categorical + (n_numeric + n_categorical) + 8
    n_parameters = sum(p.numel() for p in augmenter.module_.parameters())
    # Weights, gradients and Adam's two moments.
    return {
        "encoded_mb": n_rows * row_bytes / 2**20,
        "model_mb": 4 * 4 * n_parameters / 2**20,
    }


def _rows_per_second(synthesizer, n_rows: int) -> float:
    start = time.perf_counter()
    synthesizer.sample(n_rows)
    return n_rows / (time.perf_counter() - start)


def run_synthesizer(
    name: str, train: pd.DataFrame, test: pd.DataFrame, target: str
) -> dict:
    """Fit one synthesizer on one table and measure everything about it."""
    # A fit on a few rows of the same table first: one-time costs (lazy imports,
    # allocator pools, kernels loaded on first use) stay out of time and memory.
    warm_rows = train.sample(min(len(train), WARM_UP_ROWS), random_state=0)
    SYNTHESIZERS[name](0).fit(warm_rows.reset_index(drop=True), target)
    synthesizer = SYNTHESIZERS[name](0)
    with PeakMemory() as memory:
        start = time.perf_counter()
        synthesizer.fit(train, target)
        fit_s = time.perf_counter() - start
    synthetic = synthesizer.sample(len(train))
    timings = {"sample_rows_per_s": _rows_per_second(synthesizer, SAMPLE_ROWS)}
    if isinstance(synthesizer, VAESynthesizer):
        timings["sample_1m_rows_per_s"] = _rows_per_second(synthesizer, LARGE_SAMPLE_ROWS)
    result = {
        "synthesizer": name,
        "fit_s": fit_s,
        "peak_mb": memory.peak_mb,
        **timings,
        **sdmetrics_quality(train, synthetic),
        "detection": detection_auc(train, synthetic),
        "detection_holdout": detection_auc(test, synthetic),
        **tstr_auc(synthetic, train, test, target),
        "copies": exact_copies(train, synthetic),
        "dcr": dcr_ratio(train, test, synthetic),
    }
    if isinstance(synthesizer, VAESynthesizer):
        result.update(
            _model_megabytes(synthesizer, len(train)), epochs=synthesizer.augmenter_.n_iter_
        )
    print(
        f"  {name}: fit {fit_s:.1f} s, quality {result['quality']:.3f}, "
        f"detection {result['detection']:.3f}, DCR {result['dcr']:.2f}",
        flush=True,
    )
    return result


def run_table(table: RealTable, names: list[str], repeats: int) -> dict:
    """Every measure of one table: real-vs-real ceiling, synthesizers, lift."""
    train, test = split_table(table)
    print(f"{table.name}: {len(train)} training rows, {train.shape[1]} columns", flush=True)
    ceiling = {
        "synthesizer": "held-out real rows",
        **sdmetrics_quality(train, test),
        "detection": detection_auc(train, test),
        "copies": exact_copies(train, test),
        "dcr": 1.0,
    }
    results = [run_synthesizer(name, train, test, table.target) for name in names]
    lift = small_data_lift(
        train,
        test,
        table.target,
        {name: SYNTHESIZERS[name] for name in names if "prior" not in name},
        repeats,
    )
    return {
        "table": table.name,
        "source": table.source,
        "rows": len(table.frame),
        "columns": table.frame.shape[1],
        "missing_share": float(table.frame.isna().mean().mean()),
        "ceiling": {**ceiling, "detection_holdout": 0.5},
        "synthesizers": results,
        "lift": lift,
    }


# --------------------------------------------------------------------- reporting
def _cell(value, digits: int = 3) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "--"
    return f"{value:,.{digits}f}"


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def _measure_table(runs: list[dict], key: str, digits: int = 3, ceiling=True) -> str:
    names = [r["synthesizer"] for r in runs[0]["synthesizers"]]
    header = ["table", *names] + (["held-out real"] if ceiling else [])
    rows = []
    for run in runs:
        by_name = {r["synthesizer"]: r for r in run["synthesizers"]}
        cells = [_cell(by_name[n].get(key), digits) for n in names]
        if ceiling:
            cells.append(_cell(run["ceiling"].get(key), digits))
        rows.append([run["table"], *cells])
    return _markdown(header, rows)


def _lift_table(runs: list[dict]) -> str:
    header = ["table", "method", "ROC AUC", "lift", "balanced accuracy", "lift"]
    rows = []
    for run in runs:
        frame = pd.DataFrame(run["lift"]).groupby("method", sort=False).mean()
        base = frame.loc["real rows only"]
        for method, scores in frame.iterrows():
            rows.append(
                [
                    run["table"],
                    method,
                    _cell(scores["roc_auc"]),
                    _cell(scores["roc_auc"] - base["roc_auc"], 3),
                    _cell(scores["balanced_accuracy"]),
                    _cell(scores["balanced_accuracy"] - base["balanced_accuracy"], 3),
                ]
            )
    return _markdown(header, rows)


def _plots(runs: list[dict], folder: Path, prefix: str) -> list[str]:
    """Write the two figures into ``folder`` as ``prefix_*.png``; their paths, relative
    to the report, for its markdown."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    names = [r["synthesizer"] for r in runs[0]["synthesizers"]]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, marker in zip(names, "osD^v<>", strict=False):
        fits = [
            next(r for r in run["synthesizers"] if r["synthesizer"] == name) for run in runs
        ]
        ax.scatter(
            [f["fit_s"] for f in fits],
            [f["quality"] for f in fits],
            marker=marker,
            label=name,
            s=50,
        )
        for run, fit in zip(runs, fits, strict=True):
            ax.annotate(
                run["table"],
                (fit["fit_s"], fit["quality"]),
                fontsize=7,
                xytext=(3, 3),
                textcoords="offset points",
            )
    ax.set_xscale("log")
    ax.set_xlabel("fit wall time (s, log scale)")
    ax.set_ylabel("SDMetrics quality score")
    ax.set_title("Quality vs fit time (up and to the left is better)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    files = [f"img/{prefix}_quality_vs_time.png"]
    fig.savefig(folder / f"{prefix}_quality_vs_time.png", dpi=110)
    plt.close(fig)

    measures = [
        ("quality", "SDMetrics quality (higher is better)"),
        ("detection", "detection AUC (0.5 is best)"),
        ("dcr", "DCR ratio (1 = as far as unseen real rows)"),
    ]
    fig, axes = plt.subplots(1, len(measures), figsize=(13, 4))
    width = 0.8 / (len(names) + 1)
    x = np.arange(len(runs))
    for ax, (key, title) in zip(axes, measures, strict=True):
        for i, name in enumerate([*names, "held-out real rows"]):
            values = [
                run["ceiling"][key]
                if name == "held-out real rows"
                else next(r for r in run["synthesizers"] if r["synthesizer"] == name)[key]
                for run in runs
            ]
            ax.bar(x + i * width, values, width, label=name)
        ax.set_xticks(
            x + width * len(names) / 2,
            [run["table"] for run in runs],
            rotation=30,
            fontsize=8,
        )
        ax.set_title(title, fontsize=9)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(folder / f"{prefix}_per_table.png", dpi=110)
    plt.close(fig)
    return [*files, f"img/{prefix}_per_table.png"]


def report(runs: list[dict], info: dict, command: str, images: list[str]) -> str:
    """The generated markdown section: command, machine, one table per measure."""
    machine_lines = "\n".join(f"- **{k}**: {v}" for k, v in info.items())
    tables = "\n".join(
        f"- `{run['table']}`: {run['source']}, {run['rows']:,} rows x {run['columns']} "
        f"columns, {100 * run['missing_share']:.1f} % cells missing"
        for run in runs
    )
    ratio_rows = []
    for run in runs:
        by_name = {r["synthesizer"]: r for r in run["synthesizers"]}
        ours = by_name.get("VAEAugmenter")
        if ours is None:
            continue
        tvae = by_name.get("TVAE")
        ratio_rows.append(
            [
                run["table"],
                _cell(ours["fit_s"], 1),
                _cell(tvae["fit_s"], 1) if tvae else "--",
                _cell(tvae["fit_s"] / ours["fit_s"], 1) if tvae else "--",
                str(ours["epochs"]),
                _cell(ours["sample_1m_rows_per_s"], 0),
                _cell(ours["peak_mb"], 1),
                _cell(ours["encoded_mb"] + ours["model_mb"], 1),
                _cell(ours["peak_mb"] / (ours["encoded_mb"] + ours["model_mb"]), 1),
            ]
        )
    speed = _markdown(
        [
            "table",
            "our fit s",
            "TVAE fit s",
            "TVAE / ours",
            "our epochs",
            "our sampling rows/s (1M rows)",
            "our peak MB",
            "encoded data + model MB",
            "peak / that",
        ],
        ratio_rows,
    )
    sections = [
        f"Command: `{command}`",
        "Machine and versions:\n\n" + machine_lines,
        "Tables (70/30 split stratified by the target, seed 0; every measure compares "
        "with the 70 % training rows):\n\n" + tables,
        "\n".join(f"![{Path(p).stem}]({p})" for p in images),
        "### SDMetrics quality score (mean of column shapes and pair trends)\n\n"
        + _measure_table(runs, "quality"),
        "### SDMetrics column shapes\n\n" + _measure_table(runs, "shapes"),
        "### SDMetrics column-pair trends\n\n" + _measure_table(runs, "trends"),
        "### Detection AUC (real vs synthetic, gradient boosting, 5-fold CV; 0.5 = "
        "indistinguishable)\n\n" + _measure_table(runs, "detection"),
        "### Detection AUC against held-out real rows (rows the synthesizer never "
        "saw; 0.5 = indistinguishable)\n\n"
        + _measure_table(runs, "detection_holdout", ceiling=False),
        "### Train on synthetic, test on real (ROC AUC on the held-out rows; the "
        "held-out column is train on real)\n\n"
        + _measure_table(runs, "tstr", ceiling=False).replace("| held-out real |", "|")
        + "\n\nTrain on real, test on real: "
        + ", ".join(
            f"{run['table']} {_cell(run['synthesizers'][0]['trtr'])}" for run in runs
        ),
        "### Exact copies of training rows (share of synthetic rows)\n\n"
        + _measure_table(runs, "copies", 4),
        "### Distance-to-closest-record ratio (synthetic -> train over held-out -> "
        "train, medians; below 1 = closer to training rows than unseen real rows "
        "are)\n\n" + _measure_table(runs, "dcr"),
        "### Fit wall time (s)\n\n" + _measure_table(runs, "fit_s", 1, ceiling=False),
        "### Peak memory added by the fit (MB, resident set)\n\n"
        + _measure_table(runs, "peak_mb", 1, ceiling=False)
        + "\n\nGrowth of the process's resident set during the fit, sampled every 2 ms, "
        f"after a warm-up fit on {WARM_UP_ROWS} rows of the same table. Memory pools "
        "that the allocators kept from earlier fits can absorb part of a fit's "
        "allocations, so small figures are lower bounds.",
        "### Sampling throughput (rows/s, DataFrame out)\n\n"
        + _measure_table(runs, "sample_rows_per_s", 0, ceiling=False)
        + f"\n\nEach synthesizer timed on one `sample({SAMPLE_ROWS:,})` call; "
        f"VAEAugmenter on `sample({LARGE_SAMPLE_ROWS:,})`: "
        + ", ".join(
            f"{run['table']} {_cell(run['synthesizers'][0]['sample_1m_rows_per_s'], 0)}"
            for run in runs
            if "sample_1m_rows_per_s" in run["synthesizers"][0]
        )
        + " rows/s.",
        "### VAEAugmenter: speed and memory against the targets\n\n"
        + speed
        + "\n\nEncoded data: float32 numbers, int64 codes and labels, one byte per "
        "column for the observed flags; model: weights, gradients and Adam's two "
        "moments (4 x float32 per parameter).",
        "### Small-data lift (200-row stratified subsets, mean over repeats; lift = "
        "difference from real rows only)\n\n" + _lift_table(runs),
    ]
    return "\n\n".join(sections)


def write_report(path: Path, section: str) -> None:
    """Put the generated section between the markers of ``path`` (or append it)."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"{MARK_BEGIN}\n\n{section}\n\n{MARK_END}"
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tables",
        type=parse_tables,
        default=list(LOADERS),
        help=f"comma-separated tables (default: {','.join(LOADERS)})",
    )
    parser.add_argument(
        "--synthesizers",
        type=partial(parse_tables, choices=SYNTHESIZERS),
        default=list(SYNTHESIZERS),
        help=f"comma-separated synthesizers (default: {','.join(SYNTHESIZERS)})",
    )
    parser.add_argument("--repeats", type=int, default=3, help="small-data subsets")
    parser.add_argument(
        "--tabular-argn-epochs",
        type=float,
        default=None,
        help="TabularARGN's max_epochs (default: its own, 100; many minutes a table "
        "on CPU)",
    )
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument(
        "--fast",
        action="store_true",
        help="smoke test: penguins only, one repeat, no report unless --report is given",
    )
    parser.add_argument(
        "--output", type=Path, default=ROOT / "benchmarks" / "results" / "compare.json"
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="keep the results of other tables already in --output (to rerun a table)",
    )
    parser.add_argument(
        "--report",
        type=Path,
        default=None,
        help="markdown file to write the tables into (default: docs/benchmarks.md; "
        "none with --fast)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; write the JSON results and the report."""
    args = build_parser().parse_args(argv)
    if args.fast:
        args.tables, args.repeats = ["penguins"], 1
    elif args.report is None:
        args.report = ROOT / "docs" / "benchmarks.md"
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    if args.tabular_argn_epochs is not None:
        SYNTHESIZERS["TabularARGN"] = partial(
            TabularARGNSynthesizer, args.tabular_argn_epochs
        )
    missing = [name for name in args.synthesizers if not available(name)]
    names = [name for name in args.synthesizers if name not in missing]
    if missing:
        print(
            f"not installed here, skipped: {', '.join(missing)} (SDV: pip install -e "
            '".[bench]"; TabularARGN: its own environment, see docs/benchmarks.md)',
            flush=True,
        )
    command = "python benchmarks/compare.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    kept = []
    if args.append and args.output.exists():
        kept = [
            run
            for run in json.loads(args.output.read_text())["runs"]
            if run["table"] not in args.tables
        ]
    warm_up()
    runs = []
    for table_name in args.tables:
        run = run_table(load_table(table_name), names, args.repeats)
        runs.append({**run, "command": command.strip()})
        order = list(LOADERS)
        runs_so_far = sorted(kept + runs, key=lambda r: order.index(r["table"]))
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(
            json.dumps({"machine": machine(), "runs": runs_so_far}, indent=1)
        )
    runs = runs_so_far
    commands = list(dict.fromkeys(run.get("command", command.strip()) for run in runs))
    command = "`, then `".join(commands)
    images = []
    if args.report is not None:
        # Each report its own figures (docs/benchmarks.md keeps its old names).
        stem = args.report.stem
        prefix = "benchmark" if stem == "benchmarks" else stem
        images = _plots(runs, args.report.parent / "img", prefix)
    section = report(runs, machine(), command.strip(), images)
    if args.report is not None:
        write_report(args.report, section)
        print(f"wrote {args.report}")
    else:
        print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
