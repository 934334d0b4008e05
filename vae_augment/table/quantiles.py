"""A vectorised map of numeric columns to a standard normal through their quantiles.

Like scikit-learn's ``QuantileTransformer(output_distribution="normal")`` with one
difference that matters for a generative model: a value shared by many rows is placed at
the *middle* of its share of the distribution, also at the column's minimum and maximum.
(``QuantileTransformer`` sends every row at the minimum or maximum to about -5.2 / +5.2,
so a count column with 20 % zeros becomes a lump far in the tail, which a Gaussian
decoder cannot reproduce.) Single extreme values sit at the middle of their ``1/n`` share
too, and decoding snaps anything beyond them to the exact training minimum and maximum.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from ..utils.checks import require

_MAX_QUANTILES = 1000

#: Rows per block of :meth:`NormalQuantileMap.inverse_transform` (fastest measured).
_BLOCK_ROWS = 16_384

#: Gauss-Hermite nodes (probabilists') of :meth:`NormalQuantileMap.inverse_mean`, and
#: their weights summing to 1. Three nodes (at 0 and +-sqrt(3) scales): more reach
#: further into the tails, where the decoder's normal is least faithful -- on a count
#: column of almost only zeros, nine nodes filled rare rows with the column's extremes
#: (``docs/benchmarks.md``, imputation).
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(3)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


@dataclass(frozen=True, eq=False)
class NormalQuantileMap:
    """Column-wise ``x -> Phi^-1(F(x))`` with mid-rank ties, and its inverse.

    Parameters
    ----------
    references : ndarray of shape (n_quantiles,)
        Probabilities of the stored quantiles (evenly spaced from 0 to 1).
    quantiles : ndarray of shape (n_quantiles, n_columns)
        Column quantiles at ``references`` (missing values ignored), non-decreasing.
    floor : ndarray of shape (n_columns,)
        Smallest probability each column is mapped to: half a row's share, ``0.5 / n``.
    """

    references: np.ndarray
    quantiles: np.ndarray
    floor: np.ndarray

    @classmethod
    def fit(cls, X: np.ndarray) -> NormalQuantileMap:
        """Learn the quantiles of each column of ``X`` (float, NaN = missing)."""
        n_observed = np.maximum((~np.isnan(X)).sum(axis=0), 1)
        n_quantiles = int(min(_MAX_QUANTILES, max(n_observed.max(), 2)))
        references = np.linspace(0.0, 1.0, n_quantiles)
        # Column by column: over the whole block nanquantile works on a copy of it.
        quantiles = np.stack(
            [np.nanquantile(X[:, j], references) for j in range(X.shape[1])], axis=1
        )
        return cls(references, np.maximum.accumulate(quantiles, axis=0), 0.5 / n_observed)

    def validate(self) -> None:
        """Check the invariants the map relies on (a model file may be crafted).

        Raises
        ------
        ValueError
            If the arrays' shapes or values do not fit together.
        """
        references, quantiles, floor = self.references, self.quantiles, self.floor
        n = len(references) if references.ndim == 1 else 0
        require(n >= 2, "the quantile map needs at least 2 reference probabilities")
        require(
            np.allclose(references, np.linspace(0.0, 1.0, n), rtol=0, atol=1e-12),
            "the quantile map's reference probabilities are not evenly spaced from 0 to 1",
        )
        require(
            quantiles.ndim == 2 and quantiles.shape[0] == n,
            f"the quantile map has quantiles of shape {quantiles.shape} for {n} "
            "reference probabilities",
        )
        require(
            np.isfinite(quantiles).all() and (np.diff(quantiles, axis=0) >= 0).all(),
            "the quantile map's quantiles are not finite and non-decreasing",
        )
        require(
            floor.shape == (quantiles.shape[1],) and ((floor > 0) & (floor <= 0.5)).all(),
            "the quantile map's floor does not fit its columns",
        )

    @functools.cached_property
    def _bounds(self) -> np.ndarray:
        """The normal values of each column's minimum and maximum: shape (2, n_columns)."""
        return self.transform(self.quantiles[[0, -1]])

    def transform(self, X: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Map columns to the standard normal; NaN stays NaN.

        ``out``, if given, receives the result (of ``X``'s shape, any float dtype), so
        that a large block is not held twice in float64.
        """
        out = np.empty(X.shape, dtype=np.float64) if out is None else out
        references = self.references
        for j in range(X.shape[1]):
            q = self.quantiles[:, j]
            # Mean of the right-most and left-most matching rank: ties get mid-ranks.
            upper = np.interp(X[:, j], q, references)
            lower = -np.interp(-X[:, j], -q[::-1], -references[::-1])
            p = np.clip(0.5 * (upper + lower), self.floor[j], 1.0 - self.floor[j])
            out[:, j] = ndtri(p)
        return out

    @functools.cached_property
    def _by_column(self) -> tuple[np.ndarray, np.ndarray]:
        """Each column's quantiles and their steps, one contiguous row per column."""
        quantiles = np.ascontiguousarray(self.quantiles.T)
        return quantiles, np.diff(quantiles, axis=1)

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """Map finite normal values back; results lie inside the training range.

        The result is column-major (Fortran order): its columns, which the decoding
        reads one by one, are contiguous.
        """
        # The references are evenly spaced (fit uses linspace), so the interpolation
        # interval of every value is found by arithmetic. In blocks of rows, each
        # transposed so that a column is contiguous: over the whole table the index
        # arrays alone take 16 bytes a cell and the gathers run at memory speed, and
        # strided columns are several times slower (both measured).
        n_quantiles = self.quantiles.shape[0]
        quantiles, steps = self._by_column
        # Compare in float32, the precision the model computes in.
        low, high = self._bounds.astype(np.float32)
        out = np.empty(Z.shape[::-1], dtype=np.float64)
        for start in range(0, len(Z), _BLOCK_ROWS):
            z = np.ascontiguousarray(Z[start : start + _BLOCK_ROWS].T)
            position = ndtr(z) * (n_quantiles - 1)
            below = np.clip(position, 0, n_quantiles - 2).astype(np.intp)
            fraction = position - below
            for j, (column, step) in enumerate(zip(quantiles, steps, strict=True)):
                values = out[j, start : start + _BLOCK_ROWS]
                np.take(column, below[j], out=values)
                values += fraction[j] * step.take(below[j])
                values[z[j] <= low[j]] = column[0]
                values[z[j] >= high[j]] = column[-1]
        return out.T

    def inverse_mean(self, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """The mean, in the columns' units, of normal cells mapped back.

        ``inverse_transform(mean)`` is the *median* of a cell distributed as
        ``N(mean, scale**2)`` on the normal scale; this is its mean -- the value of
        least expected squared error, what a reconstruction or an imputation is judged
        by -- by three-point Gauss-Hermite quadrature, exact where the map is close to
        a polynomial of degree 5 and below the mean of a heavy tail (a lognormal of
        sigma 2: 5.9 against 7.4), on purpose: the decoder's normal is least faithful
        in the tails.

        Parameters
        ----------
        mean, scale : ndarray of shape (n_samples, n_columns)
            Finite means and non-negative scales on the normal scale.

        Returns
        -------
        ndarray of shape (n_samples, n_columns)
            Values inside the training range.
        """
        out = np.zeros(mean.shape[::-1], dtype=np.float64).T  # as inverse_transform's
        for node, weight in zip(_NODES, _WEIGHTS, strict=True):
            out += weight * self.inverse_transform(mean + node * scale)
        # The weights sum to 1 up to rounding, which must not leave the range.
        return np.clip(out, self.quantiles[0], self.quantiles[-1], out=out)
