"""Real-vs-synthetic quality: per-column shapes and pair-wise trends.

Two scores in [0, 1] (1 = identical), in the spirit of the "column shapes" and "column
pair trends" measures users know from SDMetrics:

* **column shape** -- ``1 - KS statistic`` for numeric columns, ``1 - total variation
  distance`` for categorical ones (missing values count as a level of their own, so a
  wrong missing rate lowers the score);
* **pair trend** -- for two numeric columns ``1 - |corr_real - corr_synthetic| / 2``
  (Spearman); for any other pair ``1 - total variation distance`` of their joint
  distribution, numeric columns cut into quantile bins of the real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..table.frames import as_frame, column_label
from ..table.kinds import is_numeric_column

_BINS = 10


@dataclass
class QualityReport:
    """Scores comparing a synthetic table with a real one.

    Attributes
    ----------
    columns : DataFrame
        One row per column: ``kind``, ``shape`` score, ``missing_real`` and
        ``missing_synthetic`` rates.
    pairs : DataFrame
        One row per pair of columns: ``metric`` and ``trend`` score.
    """

    columns: pd.DataFrame
    pairs: pd.DataFrame

    @property
    def column_shapes(self) -> float:
        """Mean column-shape score."""
        return float(self.columns["shape"].mean())

    @property
    def pair_trends(self) -> float:
        """Mean pair-trend score (1.0 for a single-column table)."""
        return float(self.pairs["trend"].mean()) if len(self.pairs) else 1.0

    @property
    def overall(self) -> float:
        """Mean of :attr:`column_shapes` and :attr:`pair_trends`."""
        return (self.column_shapes + self.pair_trends) / 2

    def __str__(self) -> str:
        return (
            f"column shapes {self.column_shapes:.3f}, pair trends {self.pair_trends:.3f}, "
            f"overall {self.overall:.3f}"
        )


def _as_float(series: pd.Series) -> np.ndarray:
    if ptypes.is_datetime64_any_dtype(series.dtype) or ptypes.is_timedelta64_dtype(
        series.dtype
    ):
        values = series.to_numpy(dtype="int64", na_value=0).astype(np.float64)
        values[series.isna().to_numpy()] = np.nan
        return values
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def _ks_similarity(real: np.ndarray, synthetic: np.ndarray) -> float:
    real, synthetic = (
        np.sort(real[~np.isnan(real)]),
        np.sort(synthetic[~np.isnan(synthetic)]),
    )
    if len(real) == 0 or len(synthetic) == 0:
        return float(len(real) == len(synthetic))
    grid = np.concatenate([real, synthetic])
    cdf_real = np.searchsorted(real, grid, side="right") / len(real)
    cdf_synthetic = np.searchsorted(synthetic, grid, side="right") / len(synthetic)
    return 1.0 - float(np.max(np.abs(cdf_real - cdf_synthetic)))


def _tv_similarity(real: pd.Series, synthetic: pd.Series) -> float:
    p = real.value_counts(normalize=True, dropna=False)
    q = synthetic.value_counts(normalize=True, dropna=False)
    p, q = p.align(q, fill_value=0.0)
    return 1.0 - 0.5 * float(np.abs(p - q).sum())


def _discretise(real: pd.Series, synthetic: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cut numeric columns into quantile bins of the real data; keep others as labels."""
    if not is_numeric_column(real):
        return real.astype(object), synthetic.astype(object)
    real_values, synthetic_values = _as_float(real), _as_float(synthetic)
    edges = np.unique(np.nanquantile(real_values, np.linspace(0, 1, _BINS + 1)[1:-1]))

    def cut(values: np.ndarray) -> pd.Series:
        bins = np.searchsorted(edges, values, side="right").astype(float)
        bins[np.isnan(values)] = np.nan
        return pd.Series(bins)

    return cut(real_values), cut(synthetic_values)


def _pair_key(a: pd.Series, b: pd.Series) -> pd.Series:
    """One label per row for the pair (missing values become the label 'nan')."""
    return a.astype(str).str.cat(b.astype(str), sep="\x1f")


def _check_same_kinds(real: pd.DataFrame, synthetic: pd.DataFrame, numeric: dict) -> None:
    """Refuse a column that holds numbers in one table and other values in the other."""
    for column, is_numeric in numeric.items():
        other = synthetic[column]
        if other.notna().any() and is_numeric_column(other) != is_numeric:
            kinds = ("numbers", "categories or text")
            raise ValueError(
                f"{column_label(column)} holds {kinds[not is_numeric]} in real (dtype "
                f"{real[column].dtype}) but {kinds[is_numeric]} in synthetic (dtype "
                f"{other.dtype}); give both tables the same column types."
            )


def quality_report(real, synthetic) -> QualityReport:
    """Compare a synthetic table with the real one, column by column and pair by pair.

    Parameters
    ----------
    real : array-like or DataFrame of shape (n_real, n_features)
        The real (training or held-out) rows.
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        Generated rows with the same columns.

    Returns
    -------
    QualityReport
        Per-column and per-pair scores with their means.

    Raises
    ------
    ValueError
        If the two tables do not have the same columns, or a column holds numbers in
        one and other values in the other.

    Examples
    --------
    >>> import pandas as pd
    >>> from vae_augment import quality_report
    >>> real = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "x"]})
    >>> quality_report(real, real).overall
    1.0
    """
    real, _ = as_frame(real, what="real")
    synthetic, _ = as_frame(synthetic, what="synthetic")
    if list(real.columns) != list(synthetic.columns):
        raise ValueError(
            f"real and synthetic must have the same columns; got {list(real.columns)} and "
            f"{list(synthetic.columns)}."
        )
    real = real.reset_index(drop=True)
    synthetic = synthetic.reset_index(drop=True)
    numeric = {c: is_numeric_column(real[c]) for c in real.columns}
    _check_same_kinds(real, synthetic, numeric)
    rows = []
    for c in real.columns:
        if numeric[c]:
            shape = _ks_similarity(_as_float(real[c]), _as_float(synthetic[c]))
        else:
            shape = _tv_similarity(real[c].astype(object), synthetic[c].astype(object))
        rows.append(
            {
                "column": c,
                "kind": "numeric" if numeric[c] else "categorical",
                "shape": shape,
                "missing_real": float(real[c].isna().mean()),
                "missing_synthetic": float(synthetic[c].isna().mean()),
            }
        )
    pairs = []
    for a, b in combinations(real.columns, 2):
        if numeric[a] and numeric[b]:
            corr_real = pd.DataFrame({"a": _as_float(real[a]), "b": _as_float(real[b])})
            corr_synthetic = pd.DataFrame(
                {"a": _as_float(synthetic[a]), "b": _as_float(synthetic[b])}
            )
            r = corr_real.corr(method="spearman").iloc[0, 1]
            s = corr_synthetic.corr(method="spearman").iloc[0, 1]
            trend = 1.0 - abs(np.nan_to_num(r) - np.nan_to_num(s)) / 2
            metric = "correlation"
        else:
            real_a, synthetic_a = _discretise(real[a], synthetic[a])
            real_b, synthetic_b = _discretise(real[b], synthetic[b])
            trend = _tv_similarity(
                _pair_key(real_a, real_b), _pair_key(synthetic_a, synthetic_b)
            )
            metric = "contingency"
        pairs.append(
            {"column_a": a, "column_b": b, "metric": metric, "trend": float(trend)}
        )
    return QualityReport(
        pd.DataFrame(rows),
        pd.DataFrame(pairs, columns=["column_a", "column_b", "metric", "trend"]),
    )
