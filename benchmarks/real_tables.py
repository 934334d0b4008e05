"""Real-vs-synthetic quality of ``VAEAugmenter`` on three public real tables.

For each table: a 70/30 stratified split with a fixed seed, ``VAEAugmenter`` fitted on
the training part (target as ``y``), as many synthetic rows as training rows sampled
(with their labels put back as a column), and the synthetic rows scored against the
training rows with :func:`vae_augment.quality_report`. The held-out 30 % real rows are
scored against the training rows too: that "real vs real" score is a rough ceiling. It
is a pessimistic one: the held-out part has 3/7 as many rows as the synthetic sample, so
its scores carry more sampling noise, and a good generator can score above it.

Run from the repository root (``--threads 1`` gives steadier timings on a busy machine)::

    python benchmarks/real_tables.py --threads 1
    python benchmarks/real_tables.py --tables penguins,mlc_churn --quick
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

# Benchmark the checkout this file lives in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(1, str(Path(__file__).resolve().parent))

from tables import LOADERS, SMALL_TABLES, load_table, split_table

import vae_augment
from vae_augment import QualityReport, VAEAugmenter, quality_report

#: ``max_epochs`` used by ``--quick`` (a smoke test, not a benchmark).
QUICK_MAX_EPOCHS = 20
#: Number of worst columns (by shape score) listed per table.
N_WORST = 3


@dataclass(frozen=True)
class FitResult:
    """A fitted augmenter's synthetic rows and what the fit cost.

    Parameters
    ----------
    synthetic : DataFrame
        Generated rows with the training columns, target included, in training order.
    fit_seconds : float
        Wall-clock time of :meth:`VAEAugmenter.fit`.
    cpu_seconds : float
        CPU time of this process during the fit (all threads).
    epochs : int
        Number of epochs run (``n_iter_``).
    best_epoch : int
        Epoch whose weights were kept (``best_epoch_``).
    """

    synthetic: pd.DataFrame
    fit_seconds: float
    cpu_seconds: float
    epochs: int
    best_epoch: int


def fit_and_sample(
    train: pd.DataFrame, target: str, params: dict | None = None, seed: int = 0
) -> FitResult:
    """Fit ``VAEAugmenter`` on the training rows and sample as many rows.

    Parameters
    ----------
    train : DataFrame
        Training rows, target column included.
    target : str
        Name of the target column, passed to ``fit`` as ``y``.
    params : dict or None, default=None
        Settings of ``VAEAugmenter`` other than ``random_state`` (``None``: defaults).
    seed : int, default=0
        ``random_state`` of the augmenter (seeds fitting and sampling).

    Returns
    -------
    FitResult
        Synthetic rows (with the label put back as a column) and the fit's cost.
    """
    X, y = train.drop(columns=target), train[target]
    augmenter = VAEAugmenter(**(params or {}), random_state=seed)
    start, start_cpu = time.perf_counter(), time.process_time()
    augmenter.fit(X, y)
    fit_seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - start_cpu
    X_new, y_new = augmenter.sample(len(train))
    synthetic = X_new.assign(**{target: y_new.to_numpy()})[train.columns]
    return FitResult(
        synthetic, fit_seconds, cpu_seconds, augmenter.n_iter_, augmenter.best_epoch_
    )


def source_fingerprint() -> str:
    """Short hash of the ``vae_augment`` sources, to tie results to the code they ran.

    Returns
    -------
    str
        The first 12 hex digits of the SHA-256 of every ``vae_augment/**/*.py`` file.
    """
    digest = hashlib.sha256()
    package = Path(vae_augment.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def warm_up() -> None:
    """Fit a tiny model once, so that one-time costs stay out of the timed fits.

    The first fit in a process pays for lazy imports (``sklearn.mixture``) and for
    the allocators' first requests.
    """
    X = pd.DataFrame({"a": np.arange(20.0), "b": ["x", "y"] * 10})
    VAEAugmenter(max_epochs=1, hidden_dims=(4,), latent_dim=2).fit(X).sample(2)


def max_missing_gap(report: QualityReport) -> float:
    """Largest absolute difference of missing rates over the columns of a report.

    Parameters
    ----------
    report : QualityReport
        A report from :func:`vae_augment.quality_report`.

    Returns
    -------
    float
        ``max |missing_real - missing_synthetic|`` over columns.
    """
    gaps = (report.columns["missing_real"] - report.columns["missing_synthetic"]).abs()
    return float(gaps.max())


def worst_columns(report: QualityReport, n: int = N_WORST) -> str:
    """The ``n`` columns with the lowest shape score, as ``name (score)`` text.

    Parameters
    ----------
    report : QualityReport
        A report from :func:`vae_augment.quality_report`.
    n : int, default=N_WORST
        How many columns to list.

    Returns
    -------
    str
        Comma-separated ``column (shape)`` entries, worst first.
    """
    worst = report.columns.nsmallest(n, "score")
    pairs = zip(worst["column"], worst["score"], strict=True)
    return ", ".join(f"{column} ({shape:.2f})" for column, shape in pairs)


def evaluate_table(name: str, params: dict | None = None, seed: int = 0) -> dict:
    """Run the whole benchmark for one table: split, fit, sample and score.

    Parameters
    ----------
    name : str
        Table name (a key of :data:`LOADERS`).
    params : dict or None, default=None
        ``VAEAugmenter`` settings (``None``: defaults).
    seed : int, default=0
        ``random_state`` of the augmenter; the split always uses :data:`SPLIT_SEED`.

    Returns
    -------
    dict
        One result row: sizes, fit cost, synthetic-vs-train and test-vs-train scores,
        worst columns and missing-rate gaps.
    """
    table = load_table(name)
    train, test = split_table(table)
    result = fit_and_sample(train, table.target, params, seed)
    synthetic_report = quality_report(
        train, result.synthetic, holdout=test, random_state=seed
    )
    ceiling_report = synthetic_report.holdout
    return {
        "table": name,
        "rows": len(table.frame),
        "columns": table.frame.shape[1],
        "fit_s": result.fit_seconds,
        "epochs": result.epochs,
        "best_epoch": result.best_epoch,
        "shapes": synthetic_report.column_shapes,
        "trends": synthetic_report.column_pair_trends,
        "real_shapes": ceiling_report.column_shapes,
        "real_trends": ceiling_report.column_pair_trends,
        "worst": worst_columns(synthetic_report),
        "missing_gap": max_missing_gap(synthetic_report),
        "real_missing_gap": max_missing_gap(ceiling_report),
    }


def markdown_table(rows: list[dict], columns: dict[str, str]) -> str:
    """Format result rows as a markdown table.

    Parameters
    ----------
    rows : list of dict
        Result rows.
    columns : dict
        Maps a key of the rows to its column header, in display order. Floats are
        shown with three decimals (one for keys ending in ``_s``, i.e. seconds).

    Returns
    -------
    str
        The markdown table.
    """

    def cell(key: str, value) -> str:
        if isinstance(value, (float, np.floating)):
            return f"{value:.1f}" if key.endswith("_s") else f"{value:.3f}"
        return str(value)

    lines = [
        "| " + " | ".join(columns.values()) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(cell(k, row[k]) for k in columns) + " |" for row in rows]
    return "\n".join(lines)


#: Columns of the Task-A summary table.
SUMMARY_COLUMNS = {
    "table": "table",
    "rows": "rows",
    "columns": "columns",
    "fit_s": "fit s",
    "epochs": "epochs (best)",
    "shapes": "column shapes",
    "trends": "pair trends",
    "real_shapes": "real-vs-real shapes",
    "real_trends": "real-vs-real trends",
    "worst": "worst 3 columns (shape)",
    "missing_gap": "max missing gap",
    "real_missing_gap": "real-vs-real missing gap",
}


def parse_tables(text: str, choices: Iterable[str] | None = None) -> list[str]:
    """Parse a comma-separated list of table names, checking each one.

    Parameters
    ----------
    text : str
        E.g. ``"penguins,mlc_churn"``.
    choices : iterable of str or None, default=None
        The known names (``None``: this script's ``LOADERS``).

    Returns
    -------
    list of str
        The table names.
    """
    choices = list(LOADERS if choices is None else choices)
    names = [t.strip() for t in text.split(",") if t.strip()]
    unknown = sorted(set(names) - set(choices))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown table(s) {unknown}; choose from {', '.join(choices)}"
        )
    return names


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser.

    Returns
    -------
    ArgumentParser
        Parser for ``--tables``, ``--threads`` and ``--quick``.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tables",
        type=parse_tables,
        default=list(SMALL_TABLES),
        help=f"comma-separated tables (default: {','.join(SMALL_TABLES)})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch intra-op threads (default: torch's choice, one per core); 1 gives "
        "stable timings on a busy machine",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke test: max_epochs={QUICK_MAX_EPOCHS} instead of the default",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the markdown table.

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
    params = {"max_epochs": QUICK_MAX_EPOCHS} if args.quick else None
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    warm_up()
    rows = []
    for name in args.tables:
        row = evaluate_table(name, params)
        row["epochs"] = f"{row['epochs']} ({row['best_epoch']})"
        rows.append(row)
    threads = torch.get_num_threads()
    print(f"vae_augment sources {source_fingerprint()}, torch threads {threads}")
    print(f"VAEAugmenter defaults: {VAEAugmenter().get_params()}")
    print()
    print(markdown_table(rows, SUMMARY_COLUMNS))
    print()
    print(
        "max |missing-rate difference| across columns (synthetic vs train): "
        + ", ".join(f"{r['table']} {r['missing_gap']:.3f}" for r in rows)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
