"""Small-data lift: does adding synthetic rows help a classifier trained on 200 rows?

For each repeat, a stratified 200-row subset of the training rows is drawn; the
reference classifier (:func:`measures.classification_scores`) is trained on it alone,
on it plus as many rows from each synthesizer (fitted on the subset), on it plus
``VAEResampler`` rows that balance the classes, and on SMOTENC's class-balanced output
(SMOTE when the table has no categorical column). Every model is scored on the same
held-out real rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, SMOTENC
from measures import classification_scores
from sklearn.model_selection import train_test_split
from tables import sdtypes

from vae_augment import VAEAugmenter, VAEResampler

#: Rows of the small training set.
SUBSET_ROWS = 200


def smote_rows(subset: pd.DataFrame, target: str, seed: int) -> pd.DataFrame:
    """The real rows plus SMOTENC's (or SMOTE's) interpolated rows that balance classes.

    SMOTE needs complete rows, so it works on a copy with numeric gaps filled by the
    column median and categorical ones by the most frequent level; the real rows are
    returned as they were (missing values included) and only the new rows come from
    the filled copy. Classes with a single row (SMOTE needs a neighbour) get none.

    Parameters
    ----------
    subset : DataFrame
        The small training set, target included.
    target : str
        The class column.
    seed : int
        ``random_state`` of the over-sampler.

    Returns
    -------
    DataFrame
        Real rows followed by the new ones, with the dtypes of ``subset``.
    """
    X, y = subset.drop(columns=target), subset[target]
    kinds = sdtypes(X)
    categorical = [n for n, k in kinds.items() if k in ("categorical", "boolean")]
    filled = {}
    for name, column in X.items():
        if name in categorical:
            filled[name] = column.astype(str).where(column.notna(), str(column.mode()[0]))
        elif kinds[name] == "datetime":
            filled[name] = column.fillna(column.median()).astype("int64")
        else:
            filled[name] = column.astype(float).fillna(column.median())
    filled = pd.DataFrame(filled).astype(dict.fromkeys(categorical, "category"))
    counts = y.value_counts()
    strategy = {c: int(counts.max()) for c, n in counts.items() if n >= 2}
    k_neighbors = int(min(5, counts[counts >= 2].min() - 1))
    common = {
        "sampling_strategy": strategy,
        "k_neighbors": k_neighbors,
        "random_state": seed,
    }
    sampler = (
        SMOTENC(categorical_features="auto", **common) if categorical else SMOTE(**common)
    )
    X_all, y_all = sampler.fit_resample(filled, y)
    # imbalanced-learn returns the input rows first, then the new ones.
    new = X_all.iloc[len(X) :].reset_index(drop=True)
    for name in categorical:  # text back to the original values and dtype
        originals = {str(v): v for v in X[name].dropna().unique()}
        new[name] = new[name].astype(str).map(originals).astype(X[name].dtype)
    for name, kind in kinds.items():
        if kind == "datetime":  # integer time stamps (UTC for tz-aware columns) back
            dtype = X[name].dtype
            unit = getattr(dtype, "unit", None) or np.datetime_data(dtype)[0]
            tz = getattr(dtype, "tz", None)
            ticks = new[name].astype(float).round().astype("int64")
            times = pd.to_datetime(ticks, unit=unit, utc=tz is not None)
            new[name] = (times.dt.tz_convert(tz) if tz is not None else times).astype(dtype)
    new[target] = np.asarray(y_all)[len(X) :]
    return pd.concat([subset, new[list(subset.columns)]], ignore_index=True)


def small_data_lift(
    train: pd.DataFrame,
    test: pd.DataFrame,
    target: str,
    synthesizers: dict[str, Callable[[int], object]],
    repeats: int,
) -> list[dict]:
    """Scores of the classifier on small training sets with and without synthetic rows.

    Parameters
    ----------
    train, test : DataFrame
        The table's training and held-out rows, target included.
    target : str
        The class column.
    synthesizers : dict
        Name -> factory ``seed -> synthesizer`` (see ``synthesizers.SYNTHESIZERS``).
    repeats : int
        Number of 200-row subsets (seeds 0, 1, ...).

    Returns
    -------
    list of dict
        One row per repeat and method: ``repeat``, ``method``, ``roc_auc``,
        ``balanced_accuracy``.
    """
    rows = []
    for repeat in range(repeats):
        subset, _ = train_test_split(
            train, train_size=SUBSET_ROWS, stratify=train[target], random_state=repeat
        )
        subset = subset.reset_index(drop=True)
        tables = {"real rows only": subset}
        for name, make in synthesizers.items():
            synthesizer = make(repeat)
            synthesizer.fit(subset, target)
            tables[f"+ {name} (x1)"] = pd.concat(
                [subset, synthesizer.sample(len(subset))], ignore_index=True
            )
        X, y = subset.drop(columns=target), subset[target]
        resampler = VAEResampler(VAEAugmenter(random_state=repeat), random_state=repeat)
        X_new, y_new = resampler.fit_resample(X, y)
        tables["+ VAEResampler (balance)"] = X_new.assign(**{target: np.asarray(y_new)})
        tables["+ SMOTENC (balance)"] = smote_rows(subset, target, repeat)
        for method, frame in tables.items():
            scores = classification_scores(frame, test, target)
            rows.append({"repeat": repeat, "method": method, **scores})
    return rows
