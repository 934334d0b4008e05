"""SDMetrics' Quality Report, computed here: column shapes and column pair trends.

The definitions are those of SDMetrics 0.32's single-table ``QualityReport`` (checked
against it by ``benchmarks/report_vs_sdmetrics.py``), with each column's sdtype taken
from its kind: numbers, datetimes and timedeltas are "numerical", anything else
"categorical" (or "boolean").

* **Column shape** of one column: ``KSComplement`` (1 - the two-sample
  Kolmogorov-Smirnov statistic) for a numeric column, ``TVComplement`` (1 - the total
  variation distance of the level shares) for a categorical one, both on the values
  that are not missing. NaN when either table has no values in the column.
* **Column pair trend** of two columns: ``CorrelationSimilarity``,
  ``1 - |r_real - r_synthetic| / 2`` with Pearson's r on the rows where both are present,
  for two numeric columns (NaN when a column is constant in either table); otherwise
  ``ContingencySimilarity``, 1 - the total variation distance of the two columns' joint
  level shares, missing values a level of their own and a numeric column cut into 10
  equal-width bins of *each table's own* range (missing values share the top bin's code
  with the maximum, as ``numpy.digitize`` gives them).
* SDMetrics averages only the pairs with a trend in the real rows: ``|r_real| > 0.5``
  for a correlation, Cramér's V of the real contingency table ``> 0.3`` otherwise
  (``counted`` in the pair table). Every pair's score is still computed.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from .encoding import MISSING, numbers, shared_codes

KS, TV = "KSComplement", "TVComplement"
CORRELATION, CONTINGENCY = "CorrelationSimilarity", "ContingencySimilarity"
#: A correlation pair counts in the mean when the real rows' ``|r|`` exceeds this.
REAL_CORRELATION_THRESHOLD = 0.5
#: A contingency pair counts when the real rows' Cramér's V exceeds this.
REAL_ASSOCIATION_THRESHOLD = 0.3
#: Equal-width bins of a numeric column in a contingency pair.
BINS = 10

PAIR_COLUMNS = [
    "column_a",
    "column_b",
    "metric",
    "score",
    "real_correlation",
    "synthetic_correlation",
    "real_association",
    "counted",
]


# -------------------------------------------------------------------------- columns
def ks_complement(real: np.ndarray, synthetic: np.ndarray) -> float:
    """1 - the Kolmogorov-Smirnov statistic of two samples, missing values dropped."""
    real, synthetic = (
        np.sort(real[~np.isnan(real)]),
        np.sort(synthetic[~np.isnan(synthetic)]),
    )
    if len(real) == 0 or len(synthetic) == 0:
        return np.nan
    grid = np.concatenate([real, synthetic])
    cdf_real = np.searchsorted(real, grid, side="right") / len(real)
    cdf_synthetic = np.searchsorted(synthetic, grid, side="right") / len(synthetic)
    return 1.0 - float(np.max(np.abs(cdf_real - cdf_synthetic)))


def tv_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """1 - the total variation distance of two columns' level shares, missing dropped."""
    (real, synthetic), n_levels = shared_codes([real, synthetic])
    real, synthetic = real[real != MISSING], synthetic[synthetic != MISSING]
    if len(real) == 0 or len(synthetic) == 0:
        return np.nan
    shares_real = np.bincount(real, minlength=n_levels) / len(real)
    shares_synthetic = np.bincount(synthetic, minlength=n_levels) / len(synthetic)
    return 1.0 - 0.5 * float(np.abs(shares_real - shares_synthetic).sum())


def column_scores(
    real: pd.DataFrame, synthetic: pd.DataFrame, numeric: dict
) -> pd.DataFrame:
    """One row per column: kind, metric, shape score and missing rates.

    Parameters
    ----------
    real, synthetic : DataFrame
        Tables with the columns of ``numeric``.
    numeric : dict
        ``{column: whether it is numeric}``.

    Returns
    -------
    DataFrame
        Columns ``column``, ``kind``, ``metric``, ``score``, ``missing_real``,
        ``missing_synthetic``.
    """
    rows = []
    for name, is_numeric in numeric.items():
        if is_numeric:
            score = ks_complement(numbers(real[name]), numbers(synthetic[name]))
        else:
            score = tv_complement(real[name], synthetic[name])
        rows.append(
            {
                "column": name,
                "kind": "numeric" if is_numeric else "categorical",
                "metric": KS if is_numeric else TV,
                "score": score,
                "missing_real": float(real[name].isna().mean()),
                "missing_synthetic": float(synthetic[name].isna().mean()),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- pairs
def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    both = ~(np.isnan(a) | np.isnan(b))
    a, b = a[both] - a[both].mean(), b[both] - b[both].mean()
    scale = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / scale) if len(a) > 1 and scale > 0 else np.nan


def _is_constant(values: np.ndarray) -> bool:
    present = values[~np.isnan(values)]
    return len(present) > 0 and bool(np.all(present == present[0]))


def correlation_similarity(real: tuple, synthetic: tuple) -> dict:
    """CorrelationSimilarity of a pair of numeric columns, as ``(a, b)`` float arrays."""
    r_real, r_synthetic = _pearson(*real), _pearson(*synthetic)
    if any(_is_constant(values) for values in (*real, *synthetic)):
        r_real = r_synthetic = np.nan  # SDMetrics refuses a constant column
    score = 1.0 - abs(r_real - r_synthetic) / 2
    return {
        "metric": CORRELATION,
        "score": score,
        "real_correlation": r_real,
        "synthetic_correlation": r_synthetic,
        "real_association": np.nan,
        "counted": bool(abs(r_real) > REAL_CORRELATION_THRESHOLD and not np.isnan(score)),
    }


def _cramers_v(keys: np.ndarray, n_b: int) -> float:
    """Cramér's V of the contingency table whose cells are ``a * n_b + b`` keys."""
    cells, counts = np.unique(keys, return_counts=True)
    rows, row_index = np.unique(cells // n_b, return_inverse=True)
    columns, column_index = np.unique(cells % n_b, return_inverse=True)
    if min(len(rows), len(columns)) < 2:
        return np.nan
    n = counts.sum()
    row_sums = np.bincount(row_index, weights=counts)
    column_sums = np.bincount(column_index, weights=counts)
    # chi2 = n * (sum of O^2 / (row sum * column sum) - 1), over the cells observed.
    chi2 = n * ((counts**2 / (row_sums[row_index] * column_sums[column_index])).sum() - 1)
    return float(np.sqrt(max(chi2, 0.0) / (n * (min(len(rows), len(columns)) - 1))))


def _shares(keys: np.ndarray) -> pd.Series:
    cells, counts = np.unique(keys, return_counts=True)
    return pd.Series(counts / len(keys), index=cells)


def contingency_similarity(real: tuple, synthetic: tuple, n_b: int) -> dict:
    """ContingencySimilarity of two discrete columns given as ``(a, b)`` code arrays."""
    keys_real = real[0] * n_b + real[1]
    keys_synthetic = synthetic[0] * n_b + synthetic[1]
    gap = _shares(keys_real).sub(_shares(keys_synthetic), fill_value=0.0)
    score = 1.0 - 0.5 * float(gap.abs().sum())
    association = _cramers_v(keys_real, n_b)
    return {
        "metric": CONTINGENCY,
        "score": score,
        "real_correlation": np.nan,
        "synthetic_correlation": np.nan,
        "real_association": association,
        "counted": bool(association > REAL_ASSOCIATION_THRESHOLD),
    }


def _bins(values: np.ndarray) -> np.ndarray | None:
    """SDMetrics' bin codes of a numeric column (None when its range is not finite)."""
    present = values[~np.isnan(values)]
    if not np.isfinite(present).all():
        return None
    return np.digitize(values, np.histogram_bin_edges(present, bins=BINS)).astype(np.int64)


def _discrete(real: pd.Series, synthetic: pd.Series, is_numeric: bool) -> tuple | None:
    """A column of both tables as codes (its two code arrays and the number of codes)."""
    if is_numeric:
        codes = (_bins(numbers(real)), _bins(numbers(synthetic)))
        return None if codes[0] is None or codes[1] is None else (*codes, BINS + 2)
    (code_real, code_synthetic), n_levels = shared_codes([real, synthetic])
    # Missing values are a level of their own, coded n_levels.
    code_real[code_real == MISSING] = n_levels
    code_synthetic[code_synthetic == MISSING] = n_levels
    return code_real, code_synthetic, n_levels + 1


def _undefined(metric: str) -> dict:
    return {
        "metric": metric,
        "score": np.nan,
        "real_correlation": np.nan,
        "synthetic_correlation": np.nan,
        "real_association": np.nan,
        "counted": False,
    }


def pair_scores(real: pd.DataFrame, synthetic: pd.DataFrame, numeric: dict) -> pd.DataFrame:
    """One row per pair of columns: metric, trend score and whether it is counted.

    Parameters
    ----------
    real, synthetic : DataFrame
        Tables with the columns of ``numeric``.
    numeric : dict
        ``{column: whether it is numeric}``, in column order.

    Returns
    -------
    DataFrame
        Columns :data:`PAIR_COLUMNS`, the pairs in the order of
        :func:`itertools.combinations` over the columns.
    """
    values = {
        name: (numbers(real[name]), numbers(synthetic[name]))
        for name, is_numeric in numeric.items()
        if is_numeric
    }
    discrete = {
        name: _discrete(real[name], synthetic[name], is_numeric)
        for name, is_numeric in numeric.items()
    }
    rows = []
    for a, b in combinations(numeric, 2):
        if numeric[a] and numeric[b]:
            row = correlation_similarity(
                (values[a][0], values[b][0]), (values[a][1], values[b][1])
            )
        elif discrete[a] is None or discrete[b] is None:
            row = _undefined(CONTINGENCY)
        else:
            row = contingency_similarity(
                (discrete[a][0], discrete[b][0]),
                (discrete[a][1], discrete[b][1]),
                discrete[b][2],
            )
        rows.append({"column_a": a, "column_b": b, **row})
    return pd.DataFrame(rows, columns=PAIR_COLUMNS).astype({"counted": bool})
