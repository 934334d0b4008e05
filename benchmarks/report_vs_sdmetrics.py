"""Our SDMetrics-named scores next to SDMetrics' own, on the same rows.

:func:`vae_augment.quality_report` reports SDMetrics' Column Shapes, Column Pair Trends
and overall quality score under their names; this script checks that they are the same
numbers. For each table: a 70/30 split (seed 0), ``VAEAugmenter`` fitted on the training
rows, as many synthetic rows sampled; then both reports for the synthetic rows and for
the held-out rows, each against the training rows. SDMetrics gets the metadata our
report implies (numbers "numerical", datetimes "datetime", booleans "boolean", the rest
"categorical"), with the column conversions it needs (categories as objects, nullable
integers and timedeltas as floats, tz-aware datetimes as naive UTC).

It prints one row per table, rows scored and score, and exits with status 1 if any
score differs by more than :data:`TOLERANCE`. It needs SDMetrics (the ``bench``
extra). Run from the repository root::

    python benchmarks/report_vs_sdmetrics.py
    python benchmarks/report_vs_sdmetrics.py --tables penguins,kinds --max-epochs 5
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

# Benchmark the checkout this file lives in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from real_tables import markdown_table
from tables import RealTable, load_table, split_table

from vae_augment import VAEAugmenter, quality_report
from vae_augment.table.kinds import time_kind, time_zone

#: Largest allowed difference between our score and SDMetrics'.
TOLERANCE = 0.005
#: Rows kept per table (a random subset beyond), so that every fit takes seconds.
MAX_ROWS = 5_000
#: Tables compared by default.
TABLES = ("penguins", "breast_cancer", "mlc_churn", "loans", "flights", "kinds")
SCORES = {
    "Column Shapes": "column_shapes",
    "Column Pair Trends": "column_pair_trends",
    "Overall": "overall",
}


def kinds_table(n_rows: int = 1_000, seed: int = 0) -> RealTable:
    """Every column kind and missing values: the cases where definitions could part.

    Booleans, a tz-aware datetime with missing values, a timedelta, nullable integers,
    a category with an unused level, text with missing values, and two correlated
    numbers.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n_rows)
    frame = pd.DataFrame(
        {
            "x": x,
            "y": 2 * x + rng.normal(size=n_rows),
            "flag": x + rng.normal(scale=0.5, size=n_rows) > 0,
            "when": pd.Timestamp("2024-01-01", tz="Europe/Oslo")
            + pd.to_timedelta(np.round(40 * x) + 100, unit="D"),
            "wait": pd.to_timedelta(rng.exponential(3.0, n_rows), unit="h"),
            "count": pd.array(rng.poisson(4 + (x > 0) * 3), dtype="Int64"),
            "plan": pd.Categorical(
                np.where(x > 0.5, "pro", rng.choice(["basic", "plus"], n_rows)),
                categories=["basic", "plus", "pro", "legacy"],
            ),
            "city": pd.Series(rng.choice(["Oslo", "Lima", "Pune"], n_rows), dtype=object),
        }
    )
    frame.loc[rng.random(n_rows) < 0.1, "when"] = pd.NaT
    frame.loc[rng.random(n_rows) < 0.1, "count"] = pd.NA
    frame.loc[rng.random(n_rows) < 0.1, "city"] = None
    return RealTable("kinds", frame, "plan", "made up (every column kind)")


def table_of(name: str) -> RealTable:
    """A benchmark table (``benchmarks/tables.py``) or the made-up ``kinds`` table."""
    table = kinds_table() if name == "kinds" else load_table(name)
    if len(table.frame) > MAX_ROWS:
        frame = table.frame.sample(MAX_ROWS, random_state=0).reset_index(drop=True)
        table = RealTable(table.name, frame, table.target, table.source)
    return table


def sdmetrics_view(frame: pd.DataFrame, kinds: pd.Series) -> tuple[pd.DataFrame, dict]:
    """``frame`` as SDMetrics takes it, and its metadata, from our columns' kinds."""
    columns, metadata = {}, {}
    for name, kind in kinds.items():
        column = frame[name]
        times = time_kind(column.dtype)
        if kind == "categorical":
            sdtype = (
                "boolean" if pd.api.types.is_bool_dtype(column.dtype) else "categorical"
            )
            column = column.astype(object)
        elif times is not None and times[0]:
            sdtype = "datetime"
            if time_zone(column.dtype) is not None:
                column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        elif times is not None:
            sdtype, column = "numerical", column.dt.total_seconds()
        else:
            sdtype, column = "numerical", column.astype("float64")
        columns[name] = column
        metadata[name] = {"sdtype": sdtype}
    return pd.DataFrame(columns), {"tables": {"table": {"columns": metadata}}}


def sdmetrics_scores(real: pd.DataFrame, other: pd.DataFrame, kinds: pd.Series) -> dict:
    """SDMetrics' Quality Report of ``other`` against ``real``: its three scores."""
    from sdmetrics.reports import QualityReport

    real_view, metadata = sdmetrics_view(real, kinds)
    other_view, _ = sdmetrics_view(other, kinds)
    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant columns, pandas deprecations
        report.generate(
            {"table": real_view}, {"table": other_view}, metadata, verbose=False
        )
    properties = report.get_properties().set_index("Property")["Score"]
    return {
        "Column Shapes": float(properties["Column Shapes"]),
        "Column Pair Trends": float(properties["Column Pair Trends"]),
        "Overall": float(report.get_score()),
    }


def compare(name: str, max_epochs: int | None = None, seed: int = 0) -> list[dict]:
    """Fit, sample and score one table; one result row per compared table of rows.

    Parameters
    ----------
    name : str
        A table of ``benchmarks/tables.py``, or ``"kinds"``.
    max_epochs : int or None, default=None
        ``VAEAugmenter(max_epochs=...)``; its default when None.
    seed : int, default=0
        Seed of the split, the fit, the sample and the report.

    Returns
    -------
    list of dict
        For the synthetic and the held-out rows: sizes, and per score ours,
        SDMetrics' and their absolute difference.
    """
    table = table_of(name)
    train, test = split_table(table, seed)
    params = {} if max_epochs is None else {"max_epochs": max_epochs}
    start = time.perf_counter()
    augmenter = VAEAugmenter(**params, random_state=seed).fit(train)
    synthetic, _ = augmenter.sample(len(train), random_state=seed)
    fit_seconds = time.perf_counter() - start
    report = quality_report(train, synthetic, holdout=test, random_state=seed)
    kinds = report.columns.set_index("column")["kind"]
    rows = []
    for what, ours, other in (
        ("synthetic", report, synthetic),
        ("holdout", report.holdout, test),
    ):
        theirs = sdmetrics_scores(train, other, kinds)
        for label, attribute in SCORES.items():
            mine = getattr(ours, attribute)
            rows.append(
                {
                    "table": name,
                    "rows": f"{len(other)} {what} vs {len(train)}",
                    "columns": train.shape[1],
                    "pairs": f"{int(ours.pairs['counted'].sum())} of {len(ours.pairs)}",
                    "score": label,
                    "ours": mine,
                    "sdmetrics": theirs[label],
                    "diff": _difference(mine, theirs[label]),
                    "fit_s": fit_seconds,
                }
            )
    return rows


def _difference(ours: float, theirs: float) -> float:
    """``|ours - theirs|``: 0 when both are NaN, infinite when only one is."""
    if np.isnan(ours) or np.isnan(theirs):
        return 0.0 if np.isnan(ours) and np.isnan(theirs) else np.inf
    return abs(ours - theirs)


#: Columns of the printed table: key of a result row, header.
COLUMNS = {
    "table": "table",
    "rows": "rows scored",
    "columns": "columns",
    "pairs": "pairs counted",
    "score": "score",
    "ours": "vae_augment",
    "sdmetrics": "SDMetrics",
    "gap": "difference",
    "fit_s": "fit + sample s",
}


def main(argv: list[str] | None = None) -> int:
    """Compare the tables given, print the table of results, fail on a difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", default=",".join(TABLES), help="comma-separated")
    parser.add_argument("--max-epochs", type=int, default=None)
    args = parser.parse_args(argv)
    rows = [
        row for name in args.tables.split(",") for row in compare(name, args.max_epochs)
    ]
    shown = [{**row, "gap": f"{row['diff']:.1e}"} for row in rows]
    print(markdown_table(shown, COLUMNS))
    worst = max(row["diff"] for row in rows)
    verdict = "within" if worst <= TOLERANCE else "NOT within"
    print(f"\nLargest difference {worst:.2g}: {verdict} {TOLERANCE}")
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())
