"""How good synthetic rows are: fidelity, detection, privacy and utility, in one report.

:func:`quality_report` scores synthetic rows against the real ones they were fitted on:

* **fidelity** -- SDMetrics' Quality Report (column shapes, column pair trends, their
  mean), computed as SDMetrics 0.32 computes it (:mod:`.fidelity`), and the similarity
  of each column's missing rate;
* **detection** -- the cross-validated ROC AUC of a classifier telling synthetic rows
  from real ones (:mod:`.detection`);
* **privacy** -- the share of synthetic rows that copy a real row, and their distance to
  the closest real row next to that of held-out real rows (:mod:`.privacy`);
* **utility** -- with a target, train on synthetic and test on real (:mod:`.utility`).

Given held-out real rows, it scores them the same way (``report.holdout``): the ceiling
that synthetic rows can be compared with.
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..utils.seeds import check_seed, new_seed
from ..utils.user_warnings import warn_user
from ..utils.warning_types import DataWarning
from . import rendering
from .detection import detection_auc
from .fidelity import column_scores, pair_scores
from .inputs import checked_tables
from .privacy import ClosestRecords, copies
from .utility import UtilityScores, utility


@dataclass(frozen=True, eq=False, repr=False)
class QualityReport:
    """Scores of synthetic (or held-out) rows against real ones.

    Printing a report shows its summary table; a notebook shows it as HTML with the
    plots (:meth:`to_html`).

    Attributes
    ----------
    columns : DataFrame
        One row per column: ``column``, ``kind`` (numeric or categorical),
        ``metric`` (SDMetrics' ``KSComplement`` or ``TVComplement``), its ``score``
        (NaN when a table has no values in the column), ``missing_real`` and
        ``missing_synthetic`` rates.
    pairs : DataFrame
        One row per pair of columns: ``column_a``, ``column_b``, ``metric``
        (``CorrelationSimilarity`` or ``ContingencySimilarity``), ``score``,
        ``real_correlation`` and ``synthetic_correlation`` (Pearson's r),
        ``real_association`` (Cramér's V of the real rows) and ``counted`` (whether
        SDMetrics counts the pair in :attr:`column_pair_trends`).
    detection_auc : float
        Cross-validated ROC AUC of a gradient-boosting classifier telling these rows
        from real ones: 0.5 when it cannot, 1.0 when it always can (NaN with fewer
        than 5 rows). Well below 0.5 when the rows are near copies of real ones (a
        tested real row is classed like its twin): see ``copies`` and ``dcr_ratio``.
    copies : float
        Share of rows equal in every column to some real row.
    dcr_ratio : float or None
        Median distance to the closest real row, divided by the same for held-out
        real rows; None without held-out rows (see :func:`quality_report`).
    real_rows, synthetic_rows : int
        Number of rows of the two tables.
    holdout : QualityReport or None
        The same scores for the held-out real rows against the real ones (the ceiling),
        when held-out rows were given.
    target : hashable or None
        The target column of ``tstr`` and ``trtr``.
    tstr : UtilityScores or None
        With a target: a model trained on the synthetic rows, tested on real rows.
    trtr : UtilityScores or None
        With a target: the same model trained on real rows (the reference).
    """

    columns: pd.DataFrame
    pairs: pd.DataFrame
    detection_auc: float
    copies: float
    dcr_ratio: float | None
    real_rows: int
    synthetic_rows: int
    holdout: QualityReport | None = None
    target: Hashable | None = None
    tstr: UtilityScores | None = None
    trtr: UtilityScores | None = None
    _tables: tuple = field(default=(), repr=False)

    @property
    def column_shapes(self) -> float:
        """SDMetrics' Column Shapes: the mean column score (NaN columns left out)."""
        return float(self.columns["score"].mean())

    @property
    def column_pair_trends(self) -> float:
        """SDMetrics' Column Pair Trends: the mean score of the counted pairs.

        NaN when no pair is counted (no pair of columns has a trend in the real rows,
        or the table has one column).
        """
        return float(self.pairs.loc[self.pairs["counted"], "score"].mean())

    @property
    def overall(self) -> float:
        """SDMetrics' overall quality score: the mean of the two, NaN left out."""
        scores = [
            s for s in (self.column_shapes, self.column_pair_trends) if not np.isnan(s)
        ]
        return float(np.mean(scores)) if scores else np.nan

    @property
    def missing_values(self) -> float:
        """Mean over columns of ``1 - |missing rate real - missing rate synthetic|``.

        SDMetrics' ``MissingValueSimilarity``; its Quality Report leaves missing values
        out of the shapes, so this score is where a wrong missing rate shows.
        """
        gap = (self.columns["missing_real"] - self.columns["missing_synthetic"]).abs()
        return float(1.0 - gap.mean())

    def summary(self) -> pd.DataFrame:
        """The headline scores as a table.

        Returns
        -------
        DataFrame
            One row per score (index), with the ``synthetic`` value, the ``ceiling``
            (the held-out rows' value, or for a TSTR score the model trained on real
            rows; NaN when unknown) and what is ``best``.
        """
        return rendering.summary(self)

    def __str__(self) -> str:
        return rendering.text(self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return rendering.html_fragment(self, self._tables, {})

    def to_html(self, path: str | os.PathLike | None = None, *, figures=None) -> str:
        """The report as a self-contained HTML page: tables, and plots as PNG images.

        The plots (real and synthetic marginals, the pair-trend differences) need
        matplotlib; without it the page has the tables only, and says so.

        Parameters
        ----------
        path : str or path-like, default=None
            Also write the page to this file (replaced atomically).
        figures : dict of {str: matplotlib Figure}, default=None
            More figures to embed, under their titles (the command line adds the
            training curves and the latent view this way).

        Returns
        -------
        str
            The HTML document.
        """
        return rendering.html_document(self, self._tables, path, figures or {})


def _scores(
    real: pd.DataFrame,
    other: pd.DataFrame,
    numeric: dict,
    records: ClosestRecords | None,
    seed: int,
) -> QualityReport:
    """Every score of ``other`` rows against real ones (no holdout, no target).

    ``records`` (the real rows' closest records and the held-out rows' median
    distance to them) is None without held-out rows.
    """
    dcr_ratio = None
    if records is not None:
        dcr, holdout_dcr = records.median_dcr(other), records.holdout_dcr
        dcr_ratio = dcr / holdout_dcr if holdout_dcr > 0 else np.nan
    return QualityReport(
        columns=column_scores(real, other, numeric),
        pairs=pair_scores(real, other, numeric),
        detection_auc=detection_auc(real, other, numeric, seed),
        copies=copies(real, other, numeric),
        dcr_ratio=dcr_ratio,
        real_rows=len(real),
        synthetic_rows=len(other),
        _tables=(real, other),
    )


#: Share of holdout rows equal to real rows from which the holdout is taken for a part
#: of the real rows (a mistake), not for unseen rows.
HOLDOUT_COPIES = 0.9


def quality_report(
    real,
    synthetic,
    *,
    holdout=None,
    target: Hashable | None = None,
    random_state=None,
) -> QualityReport:
    """Score synthetic rows against the real rows they imitate.

    **Fidelity.** :attr:`~QualityReport.column_shapes`,
    :attr:`~QualityReport.column_pair_trends` and :attr:`~QualityReport.overall` are
    SDMetrics' Quality Report scores, computed as SDMetrics 0.32 computes them (within
    0.005 of it on the benchmark tables: ``benchmarks/report_vs_sdmetrics.py``), with
    each column's sdtype given by its kind (numbers, datetimes and timedeltas
    "numerical"; categories, text and booleans "categorical"):

    * column shape: ``KSComplement`` of a numeric column, ``TVComplement`` of a
      categorical one, on the values that are not missing;
    * column pair trend: ``CorrelationSimilarity`` (``1 - |r_real - r_synthetic| / 2``,
      Pearson) for two numeric columns, ``ContingencySimilarity`` (1 - the total
      variation distance of the joint level shares; missing values a level; a numeric
      column cut into 10 equal-width bins of each table's own range) otherwise; the
      mean counts only the pairs with a trend in the real rows (``|r| > 0.5``, or
      Cramér's V ``> 0.3``), as SDMetrics does;
    * overall: the mean of the two.

    Missing values do not enter those; :attr:`~QualityReport.missing_values` compares
    the missing rates.

    **Detection.** ``report.detection_auc``: a
    ``HistGradientBoostingClassifier`` learns to tell synthetic rows from real ones on
    equal numbers of each (the smaller table's, at most 10,000), levels as native
    categories, datetimes as numbers; the ROC AUC of a 5-fold cross-validation whose
    folds keep rows equal in every column together (so that a copy is not classed like
    its twin in the training fold), 0.5 at best.

    **Privacy.** ``report.copies`` is the share of synthetic rows equal to
    some real row in every column. ``report.dcr_ratio`` is
    ``median DCR(synthetic) / median DCR(holdout)``, where the DCR of a row is its
    Euclidean distance to the closest real row in a space of standardised numbers
    (by the real rows' mean and standard deviation), missing flags, and one-hot levels
    scaled so that two levels are 1 apart. Near 1, synthetic rows are as far from the
    real rows as unseen real rows are; well below 1, they sit on top of the real rows
    (memorised). It needs held-out rows, the only fair yardstick: without ``holdout``
    it is None. It is NaN when the held-out rows' median distance is 0 (over half of
    them equal a real row: a table of few distinct rows). At most 2,000 synthetic
    and 2,000 held-out rows are measured against at most 50,000 real rows (random
    subsets beyond).

    **Held-out rows.** With ``holdout``, ``report.holdout`` holds the same scores for the
    held-out rows in place of the synthetic ones: what a perfect generator, one that
    draws new rows from the real distribution, would score with that many rows.

    **Utility.** With ``target``, ``report.tstr`` is a
    ``HistGradientBoosting`` model (regressor for a numeric target, classifier for class
    labels, as ``VAEAugmenter(target_type="auto")`` decides) trained on the synthetic
    rows and tested on the held-out rows, or on the real rows without them;
    ``report.trtr`` is the same model trained on the real rows, tested on
    the held-out rows or, without them, cross-validated on the real rows (5 folds).
    The scores are R² for a number, balanced accuracy and ROC AUC for classes.

    Parameters
    ----------
    real : array-like or DataFrame of shape (n_real, n_features)
        The real rows the generator was fitted on.
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        Generated rows with the same columns (in any order).
    holdout : array-like or DataFrame of shape (n_holdout, n_features), default=None
        Real rows the generator did not see, with the same columns.
    target : hashable, default=None
        A column to predict from the others for the utility scores.
    random_state : int, RandomState instance or None, default=None
        Seed of the subsets, folds and models; an int gives the same report each time.

    Returns
    -------
    QualityReport
        The scores; print it for a summary, or view it as HTML.

    Raises
    ------
    ValueError
        If a table has no rows, the tables have other columns, a column holds other
        kinds of values in one, ``target`` is not a column of each table, or
        ``random_state`` is not a seed.

    Examples
    --------
    >>> import pandas as pd
    >>> from vae_augment import quality_report
    >>> real = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": ["x", "y", "x", "y"]})
    >>> report = quality_report(real, real, random_state=0)
    >>> report.column_shapes, report.column_pair_trends, report.copies
    (1.0, 1.0, 1.0)
    """
    real, synthetic, holdout, numeric = checked_tables(real, synthetic, holdout, target)
    seed = new_seed(check_seed(random_state))
    records = None if holdout is None else ClosestRecords(real, holdout, numeric, seed)
    report = _scores(real, synthetic, numeric, records, seed)
    if holdout is not None:
        ceiling = _scores(real, holdout, numeric, records, seed)
        if ceiling.copies >= HOLDOUT_COPIES:
            warn_user(
                f"{ceiling.copies:.0%} of the holdout rows are also rows of real: "
                "held-out rows must be real rows the synthesizer was not fitted on (for "
                "example the test part of a train/test split), or the holdout ceiling "
                "and the DCR ratio mean nothing.",
                DataWarning,
            )
        report = replace(report, holdout=ceiling)
    if target is not None:
        tstr, trtr = utility(real, synthetic, holdout, target, numeric, seed)
        report = replace(report, target=target, tstr=tstr, trtr=trtr)
    return report
