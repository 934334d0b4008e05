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
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_tables import (
    LOADERS,
    SMALL_TABLES,
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

#: ``VAEAugmenter``'s defaults of release 0.1.0, as changes from :data:`BASELINE`.
CURRENT: dict = {
    "batch_size": "auto",
    "input_dropout": 0.0,
    "learning_rate": 3e-3,
    "n_iter_no_change": 10,
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
    # Candidates combining the single changes that helped (for a confirmation run).
    "candidate A: auto+dropout=0+lr=3e-3": {
        "batch_size": "auto",
        "input_dropout": 0.0,
        "learning_rate": 3e-3,
    },
    "candidate B: A+latent_dim=32": {
        "batch_size": "auto",
        "input_dropout": 0.0,
        "learning_rate": 3e-3,
        "latent_dim": 32,
    },
    # Time to quality (the speed issue): the defaults of 0.1.0 against fewer steps.
    # "steps_per_epoch" stands for a batch size of n_fit_rows // steps (16 to 256), a
    # rule "auto" does not offer.
    "current defaults": CURRENT,
    "current+learning_rate=5e-3": {**CURRENT, "learning_rate": 5e-3},
    "current+n_iter_no_change=6": {**CURRENT, "n_iter_no_change": 6},
    "current+5 steps/epoch": {**CURRENT, "steps_per_epoch": 5},
    "current+5 steps/epoch+learning_rate=4.2e-3": {
        **CURRENT,
        "steps_per_epoch": 5,
        "learning_rate": 4.2e-3,
    },
    "current+5 steps/epoch+learning_rate=6e-3": {
        **CURRENT,
        "steps_per_epoch": 5,
        "learning_rate": 6e-3,
    },
}

#: Default seeds of the augmenter (the split is fixed), averaged over.
SEEDS = (0, 1)

#: One printed line per fit; :data:`FIT_PATTERN` reads it back (``--from-log``).
FIT_LINE = (
    "{table:>13} {setting:<36} seed {seed}: {fit_s:6.1f} s ({cpu_s:6.1f} cpu), "
    "{epochs:3d} epochs (best {best_epoch:3d}), shapes {shapes:.3f}, "
    "trends {trends:.3f}, missing gap {missing_gap:.3f}"
)
FIT_PATTERN = re.compile(
    r"^\s*(?P<table>\S+) (?P<setting>.+?)\s+seed (?P<seed>\d+):\s+(?P<fit_s>[\d.]+) s "
    r"\(\s*(?P<cpu_s>[\d.]+) cpu\),\s+(?P<epochs>\d+) epochs \(best\s+"
    r"(?P<best_epoch>\d+)\), shapes (?P<shapes>[\d.]+), trends (?P<trends>[\d.]+), "
    r"missing gap (?P<missing_gap>[\d.]+)$"
)


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
    steps = params.pop("steps_per_epoch", None)
    if steps is not None:
        n_fit_rows = len(train) - int(params["validation_fraction"] * len(train))
        params["batch_size"] = min(256, max(16, n_fit_rows // steps))
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
        "trends": report.column_pair_trends,
        "missing_gap": max_missing_gap(report),
    }


def run_grid(
    tables: list[str], settings: list[str], seeds: list[int], n_jobs: int
) -> pd.DataFrame:
    """Run every (table, setting, seed), printing one line per finished fit.

    Parameters
    ----------
    tables : list of str
        Table names.
    settings : list of str
        Keys of :data:`SETTINGS`.
    seeds : list of int
        Seeds of the augmenter.
    n_jobs : int
        Worker processes.

    Returns
    -------
    DataFrame
        One row per fit (see :func:`run_one`).
    """
    jobs = list(itertools.product(tables, settings, seeds))
    rows = []
    with ProcessPoolExecutor(max_workers=n_jobs, initializer=init_worker) as pool:
        futures = [pool.submit(run_one, *job) for job in jobs]
        for future in futures:
            row = future.result()
            rows.append(row)
            print(FIT_LINE.format(**row), flush=True)
    return pd.DataFrame(rows)


def parse_log(paths: list[str]) -> pd.DataFrame:
    """Read the per-fit lines of earlier runs back (see :data:`FIT_LINE`).

    Parameters
    ----------
    paths : list of str
        Saved outputs of this script; other lines are ignored.

    Returns
    -------
    DataFrame
        One row per fit, as :func:`run_grid` returns it.
    """
    rows = []
    for path in paths:
        for line in Path(path).read_text().splitlines():
            match = FIT_PATTERN.match(line)
            if match:
                rows.append(match.groupdict())
    results = pd.DataFrame(rows)
    numbers = ["seed", "fit_s", "cpu_s", "epochs", "best_epoch", "shapes", "trends"]
    return results.astype({c: float for c in [*numbers, "missing_gap"]})


def summarise(results: pd.DataFrame, reference: str = "defaults") -> pd.DataFrame:
    """Mean scores, fit time and epochs per setting, with the change from a reference.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`run_grid` (or means of them), with a ``"setting"`` column that
        includes ``reference``.
    reference : str, default="defaults"
        The setting the others are compared with.

    Returns
    -------
    DataFrame
        One row per setting, in :data:`SETTINGS` order, with ``d_shapes`` and
        ``d_trends`` (difference from the defaults), ``cpu_ratio`` (fit CPU seconds
        relative to the defaults; CPU time is less sensitive than wall time to other
        load on the machine) and ``trend_spread`` (range of pair trends over seeds).
    """
    groups = results.groupby("setting")
    summary = groups[["shapes", "trends", "fit_s", "cpu_s", "epochs", "missing_gap"]].mean()
    defaults = summary.loc[reference]
    summary["d_shapes"] = summary["shapes"] - defaults["shapes"]
    summary["d_trends"] = summary["trends"] - defaults["trends"]
    summary["trend_spread"] = groups["trends"].max() - groups["trends"].min()
    summary["cpu_ratio"] = summary["cpu_s"] / defaults["cpu_s"]
    order = [name for name in SETTINGS if name in summary.index]
    return summary.loc[order].reset_index()


#: Columns of the printed summaries.
SUMMARY_COLUMNS = {
    "setting": "setting",
    "shapes": "column shapes",
    "trends": "pair trends",
    "d_shapes": "Δ shapes",
    "d_trends": "Δ trends",
    "trend_spread": "trends seed range",
    "fit_s": "fit s",
    "cpu_s": "cpu s",
    "cpu_ratio": "cpu vs defaults",
    "epochs": "epochs",
    "missing_gap": "max missing gap",
}


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser.

    Returns
    -------
    ArgumentParser
        Parser for ``--tables``, ``--settings``, ``--seeds``, ``--jobs`` and
        ``--from-log``.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tables",
        type=parse_tables,
        default=list(SMALL_TABLES),
        help=f"comma-separated tables (default: {','.join(SMALL_TABLES)})",
    )
    parser.add_argument(
        "--settings",
        type=lambda text: text.split(";"),
        default=list(SETTINGS),
        help="semicolon-separated setting names (default: all)",
    )
    parser.add_argument(
        "--seeds",
        type=lambda text: [int(t) for t in text.split(",")],
        default=list(SEEDS),
        help=f"comma-separated augmenter seeds (default: {','.join(map(str, SEEDS))})",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--reference", default="defaults", help="the setting the others are compared with"
    )
    parser.add_argument(
        "--from-log",
        nargs="+",
        metavar="PATH",
        help="do not fit: summarise the per-fit lines of saved outputs instead",
    )
    return parser


def print_summaries(results: pd.DataFrame, reference: str = "defaults") -> None:
    """Print one markdown table per benchmark table and one of means over tables.

    Parameters
    ----------
    results : DataFrame
        One row per fit (from :func:`run_grid` or :func:`parse_log`).
    reference : str, default="defaults"
        The setting the others are compared with.
    """
    for name in [t for t in LOADERS if t in set(results["table"])]:
        per_table = summarise(results[results["table"] == name], reference)
        print(f"\n### {name}\n")
        print(markdown_table(per_table.to_dict("records"), SUMMARY_COLUMNS))
    print("\n### mean over tables and seeds\n")
    per_seed = results.groupby(["setting", "seed"]).mean(numeric_only=True)
    overall = summarise(per_seed.reset_index(), reference)
    print(markdown_table(overall.to_dict("records"), SUMMARY_COLUMNS))


def main(argv: list[str] | None = None) -> int:
    """Run the study (or read saved fits back) and print the summary tables.

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
    if args.from_log:
        print_summaries(parse_log(args.from_log), args.reference)
        return 0
    unknown = sorted(set(args.settings) - set(SETTINGS))
    if unknown or args.reference not in args.settings:
        raise SystemExit(
            f"unknown setting(s) {unknown}, or no {args.reference!r}; choose from "
            f"{list(SETTINGS)}"
        )
    start = time.perf_counter()
    print(f"tables {args.tables}, seeds {args.seeds}, {args.jobs} worker(s)")
    print(f"baseline ('defaults'): {BASELINE}")
    print(f"vae_augment sources {source_fingerprint()}", flush=True)
    print_summaries(
        run_grid(args.tables, args.settings, args.seeds, args.jobs), args.reference
    )
    print(f"\ntotal wall time {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
