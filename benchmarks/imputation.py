"""Imputation: VAEImputer against IterativeImputer, KNNImputer and most-frequent.

For every table (``tables.py``: the whole table, its target a column like the others)
and two masks, cells are hidden, every imputer is fitted on the table with holes and
fills them, and the hidden cells are scored:

* ``mcar`` -- each observed cell hidden with probability 0.2;
* ``mar`` -- missingness depends on another column: with the table's first complete
  numeric column as the driver, each other cell is hidden with probability 0.35 in rows
  where the driver is above its median and 0.05 below (about 20 % overall); the driver
  is never hidden.

Measures: numeric RMSE of hidden cells divided by the column's standard deviation,
averaged over numeric columns (lower is better); accuracy over hidden categorical cells
(higher is better); for ``VAEImputer(sample_posterior=True)``, how often the 5-95 %
interval of 20 draws covers the hidden value (90 % is calibrated). Baselines see
categorical columns as ordinal codes (rounded back to a level); numbers are
standardised for KNN.

Run: ``.venv/bin/python benchmarks/imputation.py`` (results in
``benchmarks/results/imputation.json``, table printed as Markdown). With
``--tabular-argn-epochs N`` in an environment with ``mostlyai-engine`` (never a
dependency; see ``docs/benchmarks.md``), MOSTLY AI's TabularARGN imputes too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, KNNImputer

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from tables import load_table  # noqa: E402

from vae_augment import VAEAugmenter, VAEImputer  # noqa: E402

DRAWS = 20


def _numeric(frame: pd.DataFrame) -> list:
    return [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def holes(frame: pd.DataFrame, mask: str, seed: int = 0) -> pd.DataFrame:
    """Boolean frame of the cells to hide (only observed cells)."""
    rng = np.random.default_rng(seed)
    observed = frame.notna().to_numpy()
    if mask == "mcar":
        hide = rng.random(frame.shape) < 0.2
    else:
        complete = [c for c in _numeric(frame) if frame[c].notna().all()]
        driver = frame[complete[0]]
        high = (driver > driver.median()).to_numpy()[:, None]
        hide = rng.random(frame.shape) < np.where(high, 0.35, 0.05)
        hide[:, frame.columns.get_loc(complete[0])] = False
    return pd.DataFrame(hide & observed, columns=frame.columns, index=frame.index)


def _codes(frame: pd.DataFrame) -> tuple[np.ndarray, dict]:
    """The table as numbers: numeric columns, categorical ones as ordinal codes."""
    levels = {}
    columns = []
    for c in frame.columns:
        if c in _numeric(frame):
            columns.append(frame[c].to_numpy(dtype=float, na_value=np.nan))
        else:
            values = frame[c].astype(object)
            cats = pd.Index(pd.unique(values.dropna()))
            levels[c] = cats
            code = cats.get_indexer(values).astype(float)
            code[values.isna().to_numpy()] = np.nan
            columns.append(code)
    return np.column_stack(columns), levels


def _from_codes(matrix: np.ndarray, frame: pd.DataFrame, levels: dict) -> pd.DataFrame:
    out = {}
    for j, c in enumerate(frame.columns):
        if c in levels:
            index = np.clip(np.round(matrix[:, j]), 0, len(levels[c]) - 1).astype(int)
            out[c] = levels[c][index]
        else:
            out[c] = matrix[:, j]
    return pd.DataFrame(out, index=frame.index)


def baseline(name: str, holed: pd.DataFrame) -> pd.DataFrame:
    matrix, levels = _codes(holed)
    if name == "most_frequent":
        filled = holed.copy()
        for c in holed.columns:
            mode = holed[c].mode(dropna=True)
            fill = holed[c].mean() if c not in levels else mode.iloc[0]
            filled[c] = holed[c].astype(object).where(holed[c].notna(), fill)
        return filled
    mean, std = np.nanmean(matrix, 0), np.nanstd(matrix, 0) + 1e-12
    scaled = (matrix - mean) / std
    if name == "iterative":
        imputed = IterativeImputer(max_iter=10, random_state=0).fit_transform(scaled)
    else:
        imputed = KNNImputer(n_neighbors=5).fit_transform(scaled)
    return _from_codes(imputed * std + mean, holed, levels)


def score(truth: pd.DataFrame, filled: pd.DataFrame, hidden: pd.DataFrame) -> dict:
    numeric = _numeric(truth)
    errors = []
    for c in numeric:
        rows = hidden[c].to_numpy()
        if rows.sum() == 0:
            continue
        true = truth[c].to_numpy(dtype=float)[rows]
        got = pd.to_numeric(filled[c], errors="coerce").to_numpy(dtype=float)[rows]
        errors.append(np.sqrt(np.mean((got - true) ** 2)) / (truth[c].std() or 1.0))
    right, total = 0, 0
    for c in truth.columns:
        if c in numeric:
            continue
        rows = hidden[c].to_numpy()
        right += int(
            (
                filled[c].astype(str).to_numpy()[rows]
                == truth[c].astype(str).to_numpy()[rows]
            ).sum()
        )
        total += int(rows.sum())
    return {
        "numeric_rmse": float(np.mean(errors)) if errors else None,
        "categorical_accuracy": right / total if total else None,
    }


def coverage(imputer: VAEImputer, holed, truth, hidden) -> float | None:
    numeric = _numeric(truth)
    draws = []
    for seed in range(DRAWS):
        imputer.set_params(random_state=seed)
        draws.append(imputer.transform(holed)[numeric].to_numpy(dtype=float))
    stack = np.stack(draws)
    low, high = np.percentile(stack, 5, axis=0), np.percentile(stack, 95, axis=0)
    true = truth[numeric].to_numpy(dtype=float)
    cells = hidden[numeric].to_numpy()
    if not cells.any():
        return None
    inside = (true >= low - 1e-9) & (true <= high + 1e-9)
    return float(inside[cells].mean())


def _tabular_argn(holed: pd.DataFrame, max_epochs: int) -> pd.DataFrame:
    """MOSTLY AI's TabularARGN fitted on the table with holes, then its ``impute``."""
    from mostlyai.engine import TabularARGN

    model = TabularARGN(max_epochs=max_epochs, random_state=0, verbose=0).fit(holed)
    return model.impute(holed).set_axis(holed.index)


def run_table(name: str, max_rows: int, argn_epochs: int = 0) -> list[dict]:
    frame = load_table(name).frame
    frame = frame.drop(
        columns=[c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    )
    if len(frame) > max_rows:
        frame = frame.sample(max_rows, random_state=0).reset_index(drop=True)
    rows = []
    for mask in ("mcar", "mar"):
        hidden = holes(frame, mask)
        holed = frame.mask(hidden)
        results = {}
        start = time.perf_counter()
        vae = VAEImputer(random_state=0).fit(holed)
        results["VAEImputer"] = score(frame, vae.transform(holed), hidden)
        results["VAEImputer"]["seconds"] = time.perf_counter() - start
        drawn = VAEImputer(sample_posterior=True, random_state=0)
        drawn.augmenter_ = vae.augmenter_  # the same fitted model, drawn from
        drawn.n_features_in_ = vae.n_features_in_
        if hasattr(vae, "feature_names_in_"):
            drawn.feature_names_in_ = vae.feature_names_in_
        results["VAEImputer (one draw)"] = score(frame, drawn.transform(holed), hidden)
        dropout = VAEImputer(VAEAugmenter(input_dropout=0.2), random_state=0)
        results["VAEImputer (input_dropout=0.2)"] = score(
            frame, dropout.fit(holed).transform(holed), hidden
        )
        if argn_epochs:
            start = time.perf_counter()
            results["TabularARGN"] = score(frame, _tabular_argn(holed, argn_epochs), hidden)
            results["TabularARGN"]["seconds"] = time.perf_counter() - start
        for base in ("iterative", "knn", "most_frequent"):
            start = time.perf_counter()
            results[base] = score(frame, baseline(base, holed), hidden)
            results[base]["seconds"] = time.perf_counter() - start
        results["coverage_90"] = coverage(drawn, holed, frame, hidden)
        rows.append(
            {
                "table": name,
                "mask": mask,
                "hidden_cells": int(hidden.to_numpy().sum()),
                **results,
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
    return rows


def markdown(rows: list[dict]) -> str:
    methods = [
        "VAEImputer",
        "VAEImputer (one draw)",
        "VAEImputer (input_dropout=0.2)",
        *(["TabularARGN"] if "TabularARGN" in rows[0] else []),
        "iterative",
        "knn",
        "most_frequent",
    ]
    lines = [
        "| table | mask | " + " | ".join(methods) + " | 90 % interval coverage |",
        "|---|---|" + "---|" * len(methods) + "---|",
    ]
    for row in rows:
        cells = []
        for m in methods:
            r = row[m]
            rmse = "-" if r["numeric_rmse"] is None else f"{r['numeric_rmse']:.3f}"
            acc = (
                "-"
                if r["categorical_accuracy"] is None
                else f"{r['categorical_accuracy']:.3f}"
            )
            cells.append(f"{rmse} / {acc}")
        cov = "-" if row["coverage_90"] is None else f"{row['coverage_90']:.2f}"
        lines.append(
            f"| {row['table']} | {row['mask']} | " + " | ".join(cells) + f" | {cov} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", default="penguins,breast_cancer,mlc_churn,loans")
    parser.add_argument("--max-rows", type=int, default=5000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "imputation.json")
    parser.add_argument(
        "--tabular-argn-epochs",
        type=int,
        default=0,
        help="also impute with mostlyai-engine's TabularARGN (its own venv), this many "
        "epochs",
    )
    args = parser.parse_args()
    rows = [
        row
        for name in args.tables.split(",")
        for row in run_table(name, args.max_rows, args.tabular_argn_epochs)
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=1) + "\n")
    print(markdown(rows))


if __name__ == "__main__":
    main()
