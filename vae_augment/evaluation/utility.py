"""Utility: train on synthetic rows, test on real ones (TSTR), next to train on real.

A ``HistGradientBoostingRegressor`` (numeric target) or ``HistGradientBoostingClassifier``
(class labels, :func:`target_task`), both as :mod:`.models` makes them, learns the
target from the other columns, encoded by
:func:`~vae_augment.evaluation.encoding.model_frames`. Rows whose target is missing are
left out; training and test rows are each at most :data:`UTILITY_ROWS` (a
random subset beyond).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.model_selection import KFold
from sklearn.utils.multiclass import type_of_target

from ..table.target import many_whole_numbers
from .encoding import model_frames, numbers, shared_codes
from .models import classifier, one_thread, regressor

CLASSIFICATION, REGRESSION = "classification", "regression"
#: Training (and test) rows of a model; a random subset beyond it.
UTILITY_ROWS = 50_000
#: Folds of the cross-validated train-on-real score when no rows are held out.
FOLDS = 5


@dataclass(frozen=True)
class UtilityScores:
    """How well a model trained on some rows predicts the target of real test rows.

    Attributes
    ----------
    task : {"classification", "regression"}
        What the model learns: class labels or a number.
    tested_on : {"holdout", "real"}
        The test rows: the held-out real rows, or (without them) the real rows
        themselves.
    r2 : float or None
        Coefficient of determination on the test rows (regression; None otherwise).
    balanced_accuracy : float or None
        Mean recall over the test rows' classes (classification; None otherwise).
    roc_auc : float or None
        One-vs-rest ROC AUC, averaged over the test rows' classes (classification;
        None otherwise; NaN when the test rows hold a single class).
    """

    task: str
    tested_on: str
    r2: float | None = None
    balanced_accuracy: float | None = None
    roc_auc: float | None = None


def target_task(real_target: pd.Series, is_numeric: bool) -> str:
    """Classification or regression of a target column.

    A categorical column (categories, text, booleans) is class labels; so is a numeric
    one that scikit-learn's :func:`~sklearn.utils.multiclass.type_of_target` calls
    "binary" or "multiclass" (whole numbers), unless it has many distinct values, as
    ``VAEAugmenter(target_type="auto")`` decides (see
    :func:`~vae_augment.table.target.many_whole_numbers`; the undecided middle is
    taken for labels there too). Any other numeric column is a regression target.
    """
    if not is_numeric:
        return CLASSIFICATION
    values = numbers(real_target)
    values = values[~np.isnan(values)]
    kind = type_of_target(values)
    if kind == "binary" or (
        kind == "multiclass" and not many_whole_numbers(len(np.unique(values)), len(values))
    ):
        return CLASSIFICATION
    return REGRESSION


@dataclass(frozen=True)
class _Rows:
    """Model features and target of one table (target missing: row left out)."""

    X: pd.DataFrame
    y: np.ndarray

    def subset(self, n_rows: int, rng: np.random.Generator) -> _Rows:
        if len(self.y) <= n_rows:
            return self
        rows = np.sort(rng.choice(len(self.y), n_rows, replace=False))
        return _Rows(self.X.iloc[rows].reset_index(drop=True), self.y[rows])


def _encoded(
    frames: list[pd.DataFrame], target, numeric: dict, task: str
) -> tuple[list[_Rows], int]:
    """Features and target of each table, encoded alike, and the number of classes.

    Class labels become codes common to all tables (0 classes for a regression).
    """
    if task == REGRESSION:
        targets, n_classes = [numbers(frame[target]) for frame in frames], 0
        present = [~np.isnan(y) for y in targets]
    else:
        targets, n_classes = shared_codes([frame[target] for frame in frames])
        present = [y >= 0 for y in targets]
    features = {name: kind for name, kind in numeric.items() if name != target}
    encoded = model_frames(
        [frame[rows] for frame, rows in zip(frames, present, strict=True)], features
    )
    rows = [_Rows(X, y[kept]) for X, y, kept in zip(encoded, targets, present, strict=True)]
    for part, frame in zip(rows, ("real", "synthetic", "holdout"), strict=False):
        if len(part.y) < FOLDS:
            raise ValueError(
                f"target {target!r} has {len(part.y)} values in {frame}; a model needs "
                f"at least {FOLDS} rows with a target."
            )
    return rows, n_classes


def _predict(train: _Rows, X_test: pd.DataFrame, task: str, n_classes: int, seed: int):
    """Predicted numbers, or class probabilities (one column per class code)."""
    if task == REGRESSION:
        return regressor(seed).fit(train.X, train.y).predict(X_test)
    proba = np.zeros((len(X_test), n_classes))
    seen = np.unique(train.y)
    if len(seen) == 1:  # one class to learn: it is always predicted
        proba[:, seen[0]] = 1.0
        return proba
    model = classifier(seed).fit(train.X, train.y)
    proba[:, model.classes_] = model.predict_proba(X_test)
    return proba


def _scores(
    y: np.ndarray, predicted: np.ndarray, task: str, tested_on: str
) -> UtilityScores:
    if task == REGRESSION:
        return UtilityScores(task, tested_on, r2=float(r2_score(y, predicted)))
    classes = np.unique(y)
    guess = predicted.argmax(axis=1)
    accuracy = np.mean([np.mean(guess[y == c] == c) for c in classes])
    auc = np.nan
    if len(classes) > 1:
        auc = np.mean([roc_auc_score(y == c, predicted[:, c]) for c in classes])
    return UtilityScores(
        task, tested_on, balanced_accuracy=float(accuracy), roc_auc=float(auc)
    )


def _cross_validated(real: _Rows, task: str, n_classes: int, seed: int):
    """Out-of-fold predictions for every real row (5 shuffled folds)."""
    predicted = None
    for train, test in KFold(FOLDS, shuffle=True, random_state=seed).split(real.X):
        fold = _predict(
            _Rows(real.X.iloc[train], real.y[train]),
            real.X.iloc[test],
            task,
            n_classes,
            seed,
        )
        if predicted is None:
            predicted = np.zeros((len(real.y), *fold.shape[1:]))
        predicted[test] = fold
    return predicted


def utility(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame | None,
    target,
    numeric: dict,
    seed: int,
) -> tuple[UtilityScores, UtilityScores]:
    """Train on synthetic rows and, as the reference, on real ones; test on real rows.

    With ``holdout`` both models are tested on the held-out rows. Without it the model
    trained on synthetic rows is tested on the real rows, and the reference is
    cross-validated on them (5 shuffled folds: each real row is predicted by a model
    that did not see it).

    Parameters
    ----------
    real, synthetic : DataFrame
        The real (training) and synthetic rows, ``target`` included.
    holdout : DataFrame or None
        Held-out real rows, or None.
    target : hashable
        The target column.
    numeric : dict
        ``{column: whether it is numeric}``, target included.
    seed : int
        Seed of the subsets, folds and models.

    Returns
    -------
    tstr, trtr : UtilityScores
        Scores of the model trained on synthetic rows and of the one trained on real
        rows.
    """
    task = target_task(real[target], numeric[target])
    frames = [real, synthetic] if holdout is None else [real, synthetic, holdout]
    rng = np.random.default_rng(seed)
    encoded, n_classes = _encoded(frames, target, numeric, task)
    rows = [part.subset(UTILITY_ROWS, rng) for part in encoded]
    with one_thread():
        if holdout is None:
            test, tested_on = rows[0], "real"
            reference = _cross_validated(rows[0], task, n_classes, seed)
        else:
            test, tested_on = rows[2], "holdout"
            reference = _predict(rows[0], test.X, task, n_classes, seed)
        synthetic_trained = _predict(rows[1], test.X, task, n_classes, seed)
    return (
        _scores(test.y, synthetic_trained, task, tested_on),
        _scores(test.y, reference, task, tested_on),
    )
