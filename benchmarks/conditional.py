"""Conditional generation: rows made with a column fixed, against real rows that have it.

For every table (the fixed 70/30 split of ``tables.py``; the target is ``y``), a model
at default settings is fitted on the training rows. The condition is the categorical
feature level held by the share of training rows nearest 25 %. Scored with SDMetrics'
Quality Report against the training rows meeting the condition (the target a column
like the others):

* ``given`` -- ``sample(n, given={column: level})``;
* ``held-out`` -- the held-out real rows meeting the condition (the ceiling);
* ``unconditional`` -- ``sample(n)`` (the floor: what pasting the value would beat).

Also: the time of ``sample(500, given=...)`` for a combination of two levels held by
fewer than 0.5 % of the training rows (no rejection loop), and, with
``--proposals 1``, the same figures without importance resampling (the encoder's
posterior draw alone).

Run in the bench environment (SDMetrics)::

    .venv-bench/bin/python benchmarks/conditional.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from measures import sdmetrics_quality  # noqa: E402
from tables import load_table, split_table  # noqa: E402

import vae_augment.fitting.conditioning as conditioning  # noqa: E402
from vae_augment import VAEAugmenter  # noqa: E402


def _categorical(frame: pd.DataFrame) -> list:
    return [
        c
        for c in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[c])
        or pd.api.types.is_bool_dtype(frame[c])
    ]


def _condition(train: pd.DataFrame, features: list) -> tuple | None:
    """The categorical level whose share of rows is nearest 25 %."""
    candidates = [
        (abs(share - 0.25), column, level, share)
        for column in _categorical(train[features])
        for level, share in train[column].value_counts(normalize=True).items()
    ]
    return min(candidates)[1:] if candidates else None


def _rare(train: pd.DataFrame, features: list) -> tuple | None:
    columns = _categorical(train[features])
    for a, b in itertools.combinations(columns, 2):
        pairs = train.groupby([a, b], observed=True).size() / len(train)
        rare = pairs[(pairs > 0) & (pairs < 0.005)]
        if len(rare):
            (level_a, level_b), share = next(iter(rare.items()))
            return {a: level_a, b: level_b}, float(share)
    return None


def run_table(name: str) -> dict:
    table = load_table(name)
    train, test = split_table(table)
    features = [c for c in train.columns if c != table.target]
    model = VAEAugmenter(random_state=0).fit(train[features], train[table.target])
    row: dict = {"table": name, "proposals": conditioning.N_PROPOSALS}
    found = _condition(train, features)
    if found is None:
        row["condition"] = "no categorical feature"
    else:
        column, level, share = found
        real = train[train[column] == level]
        held_out = test[test[column] == level]
        n = len(real)
        X_given, y_given = model.sample(n, given={column: level}, random_state=0)
        X_any, y_any = model.sample(n, random_state=0)
        given = X_given.assign(**{table.target: y_given})[train.columns]
        anything = X_any.assign(**{table.target: y_any})[train.columns]
        row.update(
            condition=f"{column} = {level!r} ({share:.0%} of rows)",
            given=sdmetrics_quality(real, given),
            held_out=sdmetrics_quality(real, held_out),
            unconditional=sdmetrics_quality(real, anything),
        )
    rare = _rare(train, features)
    if rare is not None:
        given, share = rare
        start = time.perf_counter()
        X_rare, _ = model.sample(500, given=given, random_state=0)
        row["rare"] = {
            "given": {str(k): str(v) for k, v in given.items()},
            "share": share,
            "seconds_for_500": time.perf_counter() - start,
            "all_fixed": bool(all((X_rare[k] == v).all() for k, v in given.items())),
        }
    print(json.dumps(row, default=str), file=sys.stderr)
    return row


def markdown(rows: list[dict]) -> str:
    lines = [
        "| table | condition | given | held-out real | unconditional "
        "| rare combination: 500 rows |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        scores = [
            f"{row[k]['quality']:.3f}" if k in row else "-"
            for k in ("given", "held_out", "unconditional")
        ]
        rare = row.get("rare")
        rare_text = (
            "-"
            if rare is None
            else f"{rare['seconds_for_500']:.2f} s ({rare['share']:.2%} of rows)"
        )
        lines.append(
            f"| {row['table']} | {row['condition']} | "
            + " | ".join(scores)
            + f" | {rare_text} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", default="penguins,mlc_churn,loans,breast_cancer")
    parser.add_argument("--proposals", type=int, default=conditioning.N_PROPOSALS)
    parser.add_argument(
        "--output", type=Path, default=HERE / "results" / "conditional.json"
    )
    args = parser.parse_args()
    conditioning.N_PROPOSALS = args.proposals
    rows = [run_table(name) for name in args.tables.split(",")]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=1, default=str) + "\n")
    print(markdown(rows))


if __name__ == "__main__":
    main()
