"""Detection: how well a classifier tells synthetic rows from real ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score

from .encoding import model_frames, row_keys
from .models import classifier, one_thread

#: Rows per side (real, other) in the detection test; a random subset beyond it.
DETECTION_ROWS = 10_000
#: Cross-validation folds of the detection test.
FOLDS = 5


def detection_auc(
    real: pd.DataFrame, other: pd.DataFrame, numeric: dict, seed: int
) -> float:
    """Cross-validated ROC AUC of a classifier telling ``other`` rows from real ones.

    Both sides get the same number of rows: the smaller table's, at most
    :data:`DETECTION_ROWS` (a random subset of the larger). A
    ``HistGradientBoostingClassifier`` (:mod:`.models`) learns "is this row from
    ``other``?" on the rows encoded by
    :func:`~vae_augment.evaluation.encoding.model_frames` (levels natively categorical,
    datetimes as numbers, missing values as such), scored by ROC AUC over a shuffled
    5-fold split and averaged over folds. Rows equal in every column (a copy of a real
    row, say) are kept in one fold, so that a copy is judged on its values, not
    recognised as the twin of a training row; the folds hold about as many rows of
    each table, as both sides have the same size.

    Parameters
    ----------
    real, other : DataFrame
        Tables with the columns of ``numeric``.
    numeric : dict
        ``{column: whether it is numeric}``.
    seed : int
        Seed of the subsets, the folds and the classifier.

    Returns
    -------
    float
        0.5 when the rows cannot be told apart, 1.0 when every one can; NaN when a
        table has fewer than 5 rows.
    """
    n_rows = min(len(real), len(other), DETECTION_ROWS)
    if n_rows < FOLDS:
        return np.nan
    rng = np.random.default_rng(seed)
    real = real.iloc[np.sort(rng.choice(len(real), n_rows, replace=False))]
    other = other.iloc[np.sort(rng.choice(len(other), n_rows, replace=False))]
    features = pd.concat(model_frames([real, other], numeric), ignore_index=True)
    is_other = np.repeat([0, 1], n_rows)
    # Equal rows stay in one fold: a row tested while its copy from the other table is
    # trained on would be given the copy's label, and copies would score AUC 0.
    equal_rows = np.concatenate(row_keys([real, other], numeric))
    folds = GroupKFold(FOLDS, shuffle=True, random_state=seed)
    with one_thread():
        scores = cross_val_score(
            classifier(seed),
            features,
            is_other,
            groups=equal_rows,
            cv=folds,
            scoring="roc_auc",
        )
    return float(scores.mean())
