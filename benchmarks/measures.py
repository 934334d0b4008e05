"""What the comparison measures on a synthesizer's rows.

* :func:`sdmetrics_quality` -- SDMetrics' single-table Quality Report (column shapes and
  column-pair trends);
* :func:`detection_auc` -- ROC AUC of a gradient-boosting classifier telling real from
  synthetic rows under cross-validation (0.5: indistinguishable);
* :func:`tstr_auc` -- train on synthetic, test on real: ROC AUC on the held-out rows;
* :func:`exact_copies` and :func:`dcr_ratio` -- privacy: training rows copied verbatim,
  and how close synthetic rows sit to training rows compared with unseen real rows;
* :class:`PeakMemory` -- peak resident memory added by a block of code.
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import NearestNeighbors
from tables import sdtypes

#: Seed of every classifier, fold split and subsample here.
SEED = 0
#: Rows per side (real, synthetic) in the detection test.
DETECTION_ROWS = 10_000
#: Query rows per side (synthetic, held-out) in the distance-to-closest-record ratio.
DCR_ROWS = 2_000
#: HistGradientBoosting's native categorical support takes at most this many levels.
MAX_NATIVE_LEVELS = 255


def sdmetrics_quality(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, float]:
    """SDMetrics' Quality Report of synthetic rows against real ones.

    Parameters
    ----------
    real, synthetic : DataFrame
        Tables with the same columns.

    Returns
    -------
    dict
        ``shapes`` (Column Shapes), ``trends`` (Column Pair Trends) and ``quality`` (their
        mean, SDMetrics' overall score).
    """
    from sdmetrics.reports.single_table import QualityReport

    metadata = {"columns": {n: {"sdtype": k} for n, k in sdtypes(real).items()}}
    text = [n for n, k in sdtypes(real).items() if k == "categorical"]
    as_objects = dict.fromkeys(text, object)
    report = QualityReport()
    report.generate(
        real.astype(as_objects), synthetic.astype(as_objects), metadata, verbose=False
    )
    properties = report.get_properties().set_index("Property")["Score"]
    return {
        "shapes": float(properties["Column Shapes"]),
        "trends": float(properties["Column Pair Trends"]),
        "quality": float(report.get_score()),
    }


def model_frame(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """Features a gradient-boosting model takes, encoded the same way for every frame.

    Categorical columns become pandas categoricals with the levels of ``like`` (unseen
    levels missing), or level codes beyond 255 levels; datetimes become nanoseconds;
    everything else floats. Missing values stay missing.

    Parameters
    ----------
    frame : DataFrame
        Rows to encode.
    like : DataFrame
        The reference (training) rows that fix the levels.

    Returns
    -------
    DataFrame
        The encoded features.
    """
    columns = {}
    for name, kind in sdtypes(like).items():
        column = frame[name]
        if kind == "categorical":
            levels = pd.Index(like[name].dropna().astype(str).unique())
            codes = pd.Categorical(column.astype(str).where(column.notna()), levels)
            columns[name] = (
                codes if len(levels) <= MAX_NATIVE_LEVELS else codes.codes.astype(float)
            )
        elif kind == "datetime":
            columns[name] = column.astype("int64").astype(float).where(column.notna())
        else:
            columns[name] = column.astype(float)
    return pd.DataFrame(columns, index=frame.index)


def _classifier() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=SEED
    )


def detection_auc(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """ROC AUC of a classifier telling real rows from synthetic ones (5-fold CV).

    Equal numbers of rows from both sides (at most :data:`DETECTION_ROWS` each).

    Parameters
    ----------
    real, synthetic : DataFrame
        Tables with the same columns.

    Returns
    -------
    float
        Mean cross-validated ROC AUC; 0.5 means the rows cannot be told apart.
    """
    n_rows = min(len(real), len(synthetic), DETECTION_ROWS)
    both = pd.concat(
        [
            real.sample(n_rows, random_state=SEED),
            synthetic.sample(n_rows, random_state=SEED),
        ],
        ignore_index=True,
    )
    is_synthetic = np.repeat([0, 1], n_rows)
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    scores = cross_val_score(
        _classifier(), model_frame(both, real), is_synthetic, cv=folds, scoring="roc_auc"
    )
    return float(scores.mean())


def classification_scores(
    train: pd.DataFrame, test: pd.DataFrame, target: str
) -> dict[str, float]:
    """Fit the reference classifier on ``train`` and score it on real ``test`` rows.

    Parameters
    ----------
    train : DataFrame
        Training rows (real, synthetic or both), target column included.
    test : DataFrame
        Held-out real rows.
    target : str
        The class column.

    Returns
    -------
    dict
        ``roc_auc`` (one-vs-rest, macro-averaged over classes for more than two) and
        ``balanced_accuracy``.
    """
    features = test.drop(columns=target)
    # Levels of both tables, so that a level seen only in training is not lost.
    levels = pd.concat([train.drop(columns=target), features], ignore_index=True)
    model = _classifier().fit(
        model_frame(train.drop(columns=target), levels), train[target]
    )
    X_test = model_frame(features, levels)
    y_test = test[target].to_numpy()
    # Score every test row over every real class: a class the training rows lack
    # gets probability 0 (it is not dropped from the test set).
    classes = np.unique(np.concatenate([y_test, train[target].to_numpy()]))
    proba = np.zeros((len(X_test), len(classes)))
    proba[:, np.searchsorted(classes, model.classes_)] = model.predict_proba(X_test)
    if len(classes) == 2:
        auc = roc_auc_score(y_test == classes[1], proba[:, 1])
    else:
        auc = roc_auc_score(
            y_test, proba, multi_class="ovr", labels=classes, average="macro"
        )
    accuracy = balanced_accuracy_score(y_test, model.predict(X_test))
    return {"roc_auc": float(auc), "balanced_accuracy": float(accuracy)}


def tstr_auc(
    synthetic: pd.DataFrame, train: pd.DataFrame, test: pd.DataFrame, target: str
) -> dict[str, float]:
    """Train on synthetic, test on real -- next to train on real, test on real.

    Parameters
    ----------
    synthetic : DataFrame
        Synthetic rows with their labels.
    train : DataFrame
        The real training rows the synthesizer saw.
    test : DataFrame
        Held-out real rows.
    target : str
        The class column.

    Returns
    -------
    dict
        ``tstr`` and ``trtr``: ROC AUC on ``test`` of the classifier trained on the
        synthetic rows, and on the real training rows.
    """
    if synthetic[target].nunique() < 2:
        return {
            "tstr": float("nan"),
            "trtr": classification_scores(train, test, target)["roc_auc"],
        }
    return {
        "tstr": classification_scores(synthetic, test, target)["roc_auc"],
        "trtr": classification_scores(train, test, target)["roc_auc"],
    }


def exact_copies(train: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Fraction of synthetic rows equal, in every column, to some training row.

    Parameters
    ----------
    train, synthetic : DataFrame
        Tables with the same columns.

    Returns
    -------
    float
        Share of copied rows.
    """
    known = set(pd.util.hash_pandas_object(train.astype(str), index=False))
    hashes = pd.util.hash_pandas_object(synthetic.astype(str), index=False)
    return float(hashes.isin(known).mean())


def _distance_space(frame: pd.DataFrame, like: pd.DataFrame) -> np.ndarray:
    """Rows as points: numbers scaled by the training spread, one-hot levels, NaN flags."""
    blocks = []
    for name, kind in sdtypes(like).items():
        column, reference = frame[name], like[name]
        if kind in ("categorical", "boolean"):
            levels = pd.Index(reference.dropna().astype(str).unique())
            codes = pd.Categorical(column.astype(str).where(column.notna()), levels).codes
            onehot = np.zeros((len(frame), len(levels) + 1))
            onehot[np.arange(len(frame)), codes] = 1.0  # code -1 (missing) -> last slot
            blocks.append(onehot / np.sqrt(2))
            continue
        if kind == "datetime":
            column = column.astype("int64").where(column.notna())
            reference = reference.astype("int64").where(reference.notna())
        values, reference = column.astype(float), reference.astype(float)
        scale = reference.std() or 1.0
        scaled = ((values - reference.mean()) / scale).to_numpy()
        blocks.append(np.nan_to_num(scaled)[:, None])
        if reference.isna().any():
            blocks.append(np.isnan(scaled)[:, None].astype(float))
    return np.hstack(blocks)


def dcr_ratio(train: pd.DataFrame, test: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Median distance to the closest training row: synthetic rows over held-out rows.

    Distances are Euclidean over standardised numbers, one-hot levels (scaled so two
    different levels are 1 apart) and missing-value flags. 1 means synthetic rows are
    as far from the training rows as unseen real rows are; well below 1 means the
    synthesizer reproduces its training rows.

    Parameters
    ----------
    train, test, synthetic : DataFrame
        Training rows, held-out real rows and synthetic rows, same columns.

    Returns
    -------
    float
        The ratio of medians.
    """
    index = NearestNeighbors(n_neighbors=1).fit(_distance_space(train, train))

    def median_distance(frame: pd.DataFrame) -> float:
        rows = frame.sample(min(len(frame), DCR_ROWS), random_state=SEED)
        return float(np.median(index.kneighbors(_distance_space(rows, train))[0]))

    return median_distance(synthetic) / median_distance(test)


class PeakMemory:
    """Peak resident memory added while the ``with`` block runs (Linux ``/proc``).

    A background thread reads the process's resident set size every few
    milliseconds; ``peak_mb`` is the highest reading minus the one on entry. It sees
    every allocation -- numpy, pandas and torch alike -- that is touched.
    """

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.peak_mb = float("nan")

    @staticmethod
    def _resident_bytes() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _watch(self) -> None:
        while not self._done.is_set():
            self._peak = max(self._peak, self._resident_bytes())
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self._start = self._peak = self._resident_bytes()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        self._peak = max(self._peak, self._resident_bytes())
        self.peak_mb = (self._peak - self._start) / 2**20
