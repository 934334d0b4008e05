"""Privacy: rows copied from the training table, and how close the others come to it.

* :func:`copies` -- the share of rows equal, in every column, to some training row;
* :func:`median_dcr` -- the median distance of rows to their closest training record,
  in a space where a numeric column's spread and a change of level weigh alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from .encoding import MISSING, numbers, row_keys, shared_codes

#: Rows (synthetic or held-out) whose distance to the training rows is measured; a
#: random subset beyond it.
DCR_ROWS = 2_000
#: Training rows searched for the closest record; a random subset beyond it.
DCR_TRAINING_ROWS = 50_000


def copies(training: pd.DataFrame, other: pd.DataFrame, numeric: dict) -> float:
    """Share of ``other``'s rows equal in every column to some training row.

    Numbers are compared as floats (datetimes as seconds), levels as values; a missing
    cell equals a missing cell. Rows are matched by their
    :func:`~vae_augment.evaluation.encoding.row_keys`.

    Parameters
    ----------
    training, other : DataFrame
        Tables with the columns of ``numeric``.
    numeric : dict
        ``{column: whether it is numeric}``.

    Returns
    -------
    float
        From 0 (no row copied) to 1 (every row is a training row).
    """
    known, keys = row_keys([training, other], numeric)
    return float(np.isin(keys, known).mean())


class DistanceSpace:
    """Rows as points, scaled by the training rows, for distances to closest records.

    A numeric column becomes its value standardised by the training rows' mean and
    standard deviation (missing: 0) plus a 0/1 missing flag; a categorical column a
    one-hot block of the training levels, a "missing" slot and an "unseen level" slot,
    scaled by ``1/sqrt(2)`` so that two different levels are 1 apart. One standard
    deviation, one change of level and one missing flag thus weigh alike.

    Parameters
    ----------
    training : DataFrame
        The training rows (they fix the scales and levels).
    numeric : dict
        ``{column: whether it is numeric}``.
    """

    def __init__(self, training: pd.DataFrame, numeric: dict) -> None:
        self.numeric = numeric
        self.training = training
        self.scales = {}
        for name, is_numeric in numeric.items():
            if is_numeric:
                values = numbers(training[name])
                mean, std = np.nanmean(values), np.nanstd(values)
                finite = np.isfinite(mean) and np.isfinite(std) and std > 0
                self.scales[name] = (mean, std) if finite else (0.0, 1.0)

    def _numeric_block(self, frame: pd.DataFrame, name) -> sparse.csr_matrix:
        mean, std = self.scales[name]
        values = (numbers(frame[name]) - mean) / std
        missing = np.isnan(values)
        return sparse.csr_matrix(np.column_stack([np.where(missing, 0.0, values), missing]))

    def _level_block(self, frame: pd.DataFrame, name) -> sparse.csr_matrix:
        (known, codes), _ = shared_codes([self.training[name], frame[name]])
        n_known = int(known.max()) + 1 if len(known) else 0
        # Slots: the training levels, then "missing", then "a level training lacks".
        slots = np.where(codes >= n_known, n_known + 1, codes)
        slots[codes == MISSING] = n_known
        ones = np.full(len(frame), 1 / np.sqrt(2))
        return sparse.csr_matrix(
            (ones, (np.arange(len(frame)), slots)), shape=(len(frame), n_known + 2)
        )

    def points(self, frame: pd.DataFrame) -> sparse.csr_matrix:
        """The rows of ``frame`` as points of this space (a sparse matrix)."""
        blocks = [
            self._numeric_block(frame, name)
            if is_numeric
            else self._level_block(frame, name)
            for name, is_numeric in self.numeric.items()
        ]
        return sparse.hstack(blocks, format="csr")


def _subset(frame: pd.DataFrame, n_rows: int, rng: np.random.Generator) -> pd.DataFrame:
    if len(frame) <= n_rows:
        return frame
    return frame.iloc[np.sort(rng.choice(len(frame), n_rows, replace=False))]


class ClosestRecords:
    """Distances to the closest training record, in a :class:`DistanceSpace`.

    Parameters
    ----------
    training : DataFrame
        The training rows (at most :data:`DCR_TRAINING_ROWS`, a random subset beyond).
    holdout : DataFrame
        Held-out real rows: the yardstick (:attr:`holdout_dcr`).
    numeric : dict
        ``{column: whether it is numeric}``.
    seed : int
        Seed of the subsets.

    Attributes
    ----------
    holdout_dcr : float
        The median distance of the held-out rows (:meth:`median_dcr`).
    """

    def __init__(
        self, training: pd.DataFrame, holdout: pd.DataFrame, numeric: dict, seed: int
    ) -> None:
        self.seed = seed
        training = _subset(training, DCR_TRAINING_ROWS, np.random.default_rng(seed))
        self.space = DistanceSpace(training, numeric)
        self.index = NearestNeighbors(n_neighbors=1, algorithm="brute")
        self.index.fit(self.space.points(training))
        self.holdout_dcr = self.median_dcr(holdout)

    def median_dcr(self, frame: pd.DataFrame) -> float:
        """Median Euclidean distance of ``frame``'s rows (at most :data:`DCR_ROWS`, a
        random subset beyond) to their closest training row."""
        rows = _subset(frame, DCR_ROWS, np.random.default_rng(self.seed + 1))
        distances, _ = self.index.kneighbors(self.space.points(rows))
        return float(np.median(distances))
