"""Defaults study: ``VAEAugmenter`` settings around the defaults, by measurement.

Each setting changes one or two parameters of :data:`BASELINE` (the defaults the study
was designed around, pinned here). Every setting is fitted on
the training part of each benchmark table (the fixed 70/30 split of
``real_tables.py``) with several seeds; the synthetic rows are scored against the
training rows. The script prints one line per fit as it goes, then a per-table table
and a summary table (means over tables and seeds) in markdown.

Fits run in worker processes, each with one torch thread, so that ``--jobs`` fits
share the cores without oversubscription; fit times are wall-clock seconds inside a
worker (and process CPU seconds, which are less sensitive to other load).

Run from the repository root::

    python benchmarks/defaults_study.py --jobs 2 | tee benchmarks/results/defaults_study.txt
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_tables import (
    LOADERS,
    fit_and_sample,
    load_table,
    markdown_table,
    max_missing_gap,
    parse_tables,
    source_fingerprint,
    split_table,
    warm_up,
)

from vae_augment import quality_report

#: The reference settings, pinned so that the study does not move when the package's
#: defaults do (these were ``VAEAugmenter``'s defaults when the study was designed).
BASELINE: dict = {
    "latent_dim": 16,
    "hidden_dims": (128, 128),
    "beta": 1.0,
    "learning_rate": 1e-3,
    "batch_size": 256,
    "max_epochs": 300,
    "n_iter_no_change": 20,
    "input_dropout": 0.1,
    "validation_fraction": 0.1,
}

#: The settings to compare: name -> parameters changed from :data:`BASELINE`.
SETTINGS: dict[str, dict] = {
    "defaults": {},
    "latent_dim=8": {"latent_dim": 8},
    "latent_dim=32": {"latent_dim": 32},
    "hidden_dims=(256,256)": {"hidden_dims": (256, 256)},
    "learning_rate=3e-3": {"learning_rate": 3e-3},
    "batch_size=128": {"batch_size": 128},
    "batch_size=512": {"batch_size": 512},
    "input_dropout=0.0": {"input_dropout": 0.0},
    "beta=0.5": {"beta": 0.5},
    "n_iter_no_change=10": {"n_iter_no_change": 10},
    "n_iter_no_change=40": {"n_iter_no_change": 40},
    "max_epochs=600": {"max_epochs": 600},
    "learning_rate=3e-3+batch_size=512": {"learning_rate": 3e-3, "batch_size": 512},
    "batch_size=auto": {"batch_size": "auto"},
    "batch_size=auto+input_dropout=0.0": {"batch_size": "auto", "input_dropout": 0.0},
}

#: Seeds of the augmenter (the split is fixed), averaged over.
SEEDS = (0, 1)


def init_worker() -> None:
    """Give a worker process one torch thread and pay its one-time costs up front."""
    import torch

    torch.set_num_threads(1)
    warm_up()


def run_one(table_name: str, setting: str, seed: int) -> dict:
    """Fit one setting on one table with one seed and score its synthetic rows.

    Parameters
    ----------
    table_name : str
        A key of ``real_tables.LOADERS``.
    setting : str
        A key of :data:`SETTINGS`.
    seed : int
        ``random_state`` of the augmenter.

    Returns
    -------
    dict
        Table, setting, seed, fit seconds (wall and CPU), epochs and the scores of the
        synthetic rows against the training rows.
    """
    table = load_table(table_name)
    train, _ = split_table(table)
    params = {**BASELINE, **SETTINGS[setting]}
    result = fit_and_sample(train, table.target, params, seed)
    report = quality_report(train, result.synthetic)
    return {
        "table": table_name,
        "setting": setting,
        "seed": seed,
        "fit_s": result.fit_seconds,
        "cpu_s": result.cpu_seconds,
        "epochs": result.epochs,
        "best_epoch": result.best_epoch,
        "shapes": report.column_shapes,
        "trends": report.pair_trends,
        "missing_gap": max_missing_gap(report),
    }


def run_grid(tables: list[str], settings: list[str], n_jobs: int) -> pd.DataFrame:
    """Run every (table, setting, seed), printing one line per finished fit.

    Parameters
    ----------
    tables : list of str
        Table names.
    settings : list of str
        Keys of :data:`SETTINGS`.
    n_jobs : int
        Worker processes.

    Returns
    -------
    DataFrame
        One row per fit (see :func:`run_one`).
    """
    jobs = list(itertools.product(tables, settings, SEEDS))
    rows = []
    with ProcessPoolExecutor(max_workers=n_jobs, initializer=init_worker) as pool:
        futures = [pool.submit(run_one, *job) for job in jobs]
        for future in futures:
            row = future.result()
            rows.append(row)
            print(
                f"{row['table']:>13} {row['setting']:<36} seed {row['seed']}: "
                f"{row['fit_s']:6.1f} s ({row['cpu_s']:6.1f} cpu), "
                f"{row['epochs']:3d} epochs (best {row['best_epoch']:3d}), "
                f"shapes {row['shapes']:.3f}, trends {row['trends']:.3f}, "
                f"missing gap {row['missing_gap']:.3f}",
                flush=True,
            )
    return pd.DataFrame(rows)


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Mean scores, fit time and epochs per setting, with the change from the defaults.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`run_grid` (or means of them), with a ``"setting"`` column that
        includes ``"defaults"``.

    Returns
    -------
    DataFrame
        One row per setting, in :data:`SETTINGS` order, with ``d_shapes`` and
        ``d_trends`` (difference from the defaults) and ``time_ratio`` (fit seconds
        relative to the defaults).
    """
    summary = results.groupby("setting")[
        ["shapes", "trends", "fit_s", "cpu_s", "epochs", "missing_gap"]
    ].mean()
    defaults = summary.loc["defaults"]
    summary["d_shapes"] = summary["shapes"] - defaults["shapes"]
    summary["d_trends"] = summary["trends"] - defaults["trends"]
    summary["time_ratio"] = summary["fit_s"] / defaults["fit_s"]
    order = [name for name in SETTINGS if name in summary.index]
    return summary.loc[order].reset_index()


#: Columns of the printed summaries.
SUMMARY_COLUMNS = {
    "setting": "setting",
    "shapes": "column shapes",
    "trends": "pair trends",
    "d_shapes": "Δ shapes",
    "d_trends": "Δ trends",
    "fit_s": "fit s",
    "cpu_s": "cpu s",
    "time_ratio": "time vs defaults",
    "epochs": "epochs",
    "missing_gap": "max missing gap",
}


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser.

    Returns
    -------
    ArgumentParser
        Parser for ``--tables``, ``--settings`` and ``--jobs``.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tables",
        type=parse_tables,
        default=list(LOADERS),
        help=f"comma-separated tables (default: {','.join(LOADERS)})",
    )
    parser.add_argument(
        "--settings",
        type=lambda text: text.split(";"),
        default=list(SETTINGS),
        help="semicolon-separated setting names (default: all)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the study and print the per-fit lines and the summary tables.

    Parameters
    ----------
    argv : list of str or None, default=None
        Command-line arguments (``None``: ``sys.argv``).

    Returns
    -------
    int
        Exit code.
    """
    args = build_parser().parse_args(argv)
    unknown = sorted(set(args.settings) - set(SETTINGS))
    if unknown or "defaults" not in args.settings:
        raise SystemExit(
            f"unknown setting(s) {unknown}, or no 'defaults'; choose from {list(SETTINGS)}"
        )
    start = time.perf_counter()
    print(f"tables {args.tables}, seeds {list(SEEDS)}, {args.jobs} worker(s)")
    print(f"baseline ('defaults'): {BASELINE}")
    print(f"vae_augment sources {source_fingerprint()}", flush=True)
    results = run_grid(args.tables, args.settings, args.jobs)
    for name in args.tables:
        per_table = summarise(results[results["table"] == name])
        print(f"\n### {name}\n")
        print(markdown_table(per_table.to_dict("records"), SUMMARY_COLUMNS))
    print("\n### mean over tables and seeds\n")
    per_seed = results.groupby(["setting", "seed"]).mean(numeric_only=True)
    overall = summarise(per_seed.reset_index())
    print(markdown_table(overall.to_dict("records"), SUMMARY_COLUMNS))
    print(f"\ntotal wall time {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
