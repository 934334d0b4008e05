"""Plots: training curves, real-vs-synthetic marginals and associations, the latent space.

Every function draws with matplotlib (an optional extra: ``pip install
'vae-augment[plots]'``, imported only when a plot is made) and returns the
:class:`~matplotlib.figure.Figure` it drew on. Functions that draw a single panel take an
``ax`` to draw into an existing figure.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from sklearn.decomposition import PCA
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from ..table.frames import as_frame, column_label
from ..table.kinds import is_numeric_column
from .fidelity import pair_scores
from .figures import figure_and_axes, pyplot
from .inputs import checked_tables
from .pair_heatmap import pair_difference_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..estimators.augmenter import VAEAugmenter

_MAX_BINS = 30
_MAX_LEVELS = 15
_MISSING = "(missing)"
_OTHER = "(other)"
_REAL, _SYNTHETIC = "real", "synthetic"


# ------------------------------------------------------------------ training curves
def plot_training_curves(augmenter: VAEAugmenter, ax: Axes | None = None) -> Figure:
    """Plot the training and validation loss per epoch, marking the epoch kept.

    Parameters
    ----------
    augmenter : VAEAugmenter
        A fitted augmenter (its ``loss_curve_``, ``validation_loss_curve_`` and
        ``best_epoch_`` are drawn).
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Examples
    --------
    >>> import numpy as np
    >>> from vae_augment import VAEAugmenter, plot_training_curves
    >>> X = np.random.default_rng(0).normal(size=(100, 3))
    >>> aug = VAEAugmenter(max_epochs=5, random_state=0).fit(X)
    >>> fig = plot_training_curves(aug)
    >>> fig.savefig("curves.png")  # doctest: +SKIP
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['training', 'validation', 'best epoch (5)']
    """
    check_is_fitted(augmenter, "loss_curve_")
    fig, ax = figure_and_axes(ax)
    epochs = np.arange(1, len(augmenter.loss_curve_) + 1)
    ax.plot(epochs, augmenter.loss_curve_, label="training")
    if len(augmenter.validation_loss_curve_):
        ax.plot(epochs, augmenter.validation_loss_curve_, label="validation")
    ax.axvline(
        augmenter.best_epoch_,
        color="grey",
        linestyle="--",
        label=f"best epoch ({augmenter.best_epoch_})",
    )
    ax.set_xlabel("epoch")
    ax.set_ylabel("negative ELBO per row")
    ax.set_title("Training curves")
    ax.legend()
    return fig


# ------------------------------------------------------------------------ marginals
def _same_columns(real, synthetic, columns) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    real, _ = as_frame(real, what="real")
    synthetic, _ = as_frame(synthetic, what="synthetic")
    columns = list(real.columns) if columns is None else list(columns)
    for name in columns:
        for frame, what in ((real, _REAL), (synthetic, _SYNTHETIC)):
            if name not in frame.columns:
                raise ValueError(f"{column_label(name)} is not a column of {what}.")
    return real, synthetic, columns


def _plottable_numbers(series: pd.Series) -> np.ndarray:
    """Finite values of a numeric column as floats (datetimes as matplotlib dates)."""
    if ptypes.is_datetime64_any_dtype(series.dtype):
        from matplotlib import dates

        if getattr(series.dtype, "tz", None) is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        values = dates.date2num(series.dropna().to_numpy())
    elif ptypes.is_timedelta64_dtype(series.dtype):
        values = series.dropna().dt.total_seconds().to_numpy()
    else:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    values = np.asarray(values, dtype=np.float64)
    return values[np.isfinite(values)]


def _bin_edges(values: np.ndarray) -> np.ndarray:
    """One bar per whole number for small integer ranges, else equal-width bins."""
    if len(values) == 0:
        return np.linspace(0.0, 1.0, 2)
    low, high = values.min(), values.max()
    if np.all(values == np.round(values)):
        # Equal-width bins on whole numbers would hold 2 or 3 values each, drawing a
        # comb; whole-number widths give every bin the same number of values.
        width = max(1.0, np.ceil((high - low + 1) / _MAX_BINS))
        return np.arange(low - 0.5, high + width, width)
    return np.histogram_bin_edges(values, bins=_MAX_BINS)


def _missing_label(what: str, series: pd.Series) -> str:
    rate = float(series.isna().mean())
    return f"{what} ({rate:.1%} missing)" if rate else what


def _numeric_marginal(ax: Axes, real: pd.Series, synthetic: pd.Series) -> None:
    values = {_REAL: _plottable_numbers(real), _SYNTHETIC: _plottable_numbers(synthetic)}
    edges = _bin_edges(np.concatenate(list(values.values())))
    for what, series in ((_REAL, real), (_SYNTHETIC, synthetic)):
        ax.hist(
            values[what],
            bins=edges,
            density=True,
            histtype="stepfilled" if what == _REAL else "step",
            alpha=0.5 if what == _REAL else 1.0,
            linewidth=1.5,
            label=_missing_label(what, series),
        )
    if ptypes.is_datetime64_any_dtype(real.dtype):
        from matplotlib import dates

        locator = dates.AutoDateLocator(minticks=3, maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    elif ptypes.is_timedelta64_dtype(real.dtype):
        ax.set_xlabel("seconds")
    ax.set_ylabel("density")


def _level_shares(series: pd.Series) -> pd.Series:
    labels = series.astype(object).map(str).where(series.notna(), _MISSING)
    return labels.value_counts(normalize=True)


def _categorical_marginal(ax: Axes, real: pd.Series, synthetic: pd.Series) -> None:
    shares = pd.DataFrame(
        {_REAL: _level_shares(real), _SYNTHETIC: _level_shares(synthetic)}
    ).fillna(0.0)
    shares = shares.sort_values(_REAL, ascending=False)
    if len(shares) > _MAX_LEVELS:
        rest = shares.iloc[_MAX_LEVELS - 1 :].sum().rename(_OTHER)
        shares = pd.concat([shares.iloc[: _MAX_LEVELS - 1], rest.to_frame().T])
    positions = np.arange(len(shares))
    height = 0.4
    ax.barh(positions - height / 2, shares[_REAL], height, label=_REAL, alpha=0.7)
    ax.barh(positions + height / 2, shares[_SYNTHETIC], height, label=_SYNTHETIC)
    ax.set_yticks(positions, [str(level) for level in shares.index])
    ax.invert_yaxis()
    ax.set_xlabel("share of rows")


def plot_marginals(real, synthetic, columns=None, ncols: int = 4) -> Figure:
    """Plot each column's real and synthetic distribution, one panel per column.

    Numeric columns (numbers, datetimes, timedeltas) get overlaid histograms on shared
    bins, with each table's missing rate in the legend; other columns get side-by-side
    bars of each level's share (missing values as a level of their own; beyond 15
    levels the rarest ones are summed as "(other)").

    Parameters
    ----------
    real : array-like or DataFrame of shape (n_real, n_features)
        The real rows.
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        The generated rows; they need the plotted columns.
    columns : list of column names, default=None
        Columns to plot, in this order; all columns of ``real`` when None.
    ncols : int, default=4
        Panels per row of the grid.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, with one Axes per plotted column.

    Raises
    ------
    ValueError
        If a column is missing from either table, or ``ncols`` is not a positive
        integer.
    """
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}.")
    real, synthetic, columns = _same_columns(real, synthetic, columns)
    if not columns:
        raise ValueError("columns is empty; give at least one column to plot.")
    ncols = min(int(ncols), len(columns))
    nrows = math.ceil(len(columns) / ncols)
    fig, axes = pyplot().subplots(
        nrows,
        ncols,
        figsize=(3.6 * ncols, 2.8 * nrows),
        squeeze=False,
        layout="constrained",
    )
    axes = axes.ravel()
    for ax, name in zip(axes[: len(columns)], columns, strict=True):
        if is_numeric_column(real[name]):
            _numeric_marginal(ax, real[name], synthetic[name])
        else:
            _categorical_marginal(ax, real[name], synthetic[name])
        ax.set_title(str(name))
        ax.legend(fontsize="small")
    for ax in axes[len(columns) :]:
        fig.delaxes(ax)
    return fig


# --------------------------------------------------------------------- associations
def plot_association_difference(real, synthetic, ax: Axes | None = None) -> Figure:
    """Heat-map of how much each pair of columns' relation differs, real vs synthetic.

    Each cell is ``1 - score`` of the pair in
    :attr:`QualityReport.pairs <vae_augment.QualityReport.pairs>` (0 = the same
    relation), on one colour scale per kind of score: for two numeric columns (blue)
    half the absolute difference of their Pearson correlations, for any other pair
    (orange) the total-variation distance of their joint distribution. Up to 12
    columns, cells carry their value, in bold for the pairs SDMetrics counts in the
    column pair trends score (a trend in the real rows); blank cells have no defined
    score (a constant column).

    Parameters
    ----------
    real : array-like or DataFrame of shape (n_real, n_features)
        The real rows.
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        Generated rows with the same columns.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (the heat-map and a colour bar per kind of score).

    Raises
    ------
    ValueError
        If the two tables do not have the same columns, or a column holds other kinds
        of values in one.
    """
    real, synthetic, _, numeric = checked_tables(real, synthetic)
    pairs = pair_scores(real, synthetic, numeric)
    trends = float(pairs.loc[pairs["counted"], "score"].mean())
    return pair_difference_figure(pairs, list(real.columns), trends, ax)


# --------------------------------------------------------------------------- latent
def _is_classes(y: np.ndarray) -> bool:
    if not ptypes.is_numeric_dtype(y.dtype) or ptypes.is_bool_dtype(y.dtype):
        return True
    return type_of_target(y) in ("binary", "multiclass")


def _holds_classes(augmenter: VAEAugmenter, y: np.ndarray | None) -> bool:
    """Whether ``y`` is made of the classes a conditional model was fitted on."""
    if augmenter.classes_ is None or y is None:
        return False
    known = pd.Index(augmenter.classes_.astype(object)).get_indexer(y.astype(object))
    return bool((known >= 0).all())


def plot_latent(augmenter: VAEAugmenter, X, y=None, ax: Axes | None = None) -> Figure:
    """Scatter the rows' latent codes in 2-D, coloured by class or target.

    Each row is encoded to its posterior mean; with a latent size above 2 the means are
    projected on their first two principal components, with a latent size of 1 a
    histogram is drawn instead. A conditional model encodes each row under its class in
    ``y`` when every value of ``y`` is one of its classes, and otherwise (``y`` None,
    another column, a continuous target) under its most probable class, as
    :meth:`~vae_augment.VAEAugmenter.transform` does; ``y`` then only colours the points.

    Parameters
    ----------
    augmenter : VAEAugmenter
        A fitted augmenter.
    X : array-like or DataFrame of shape (n_samples, n_features)
        Rows with the columns seen in fit.
    y : array-like of shape (n_samples,), default=None
        Values that colour the points: class labels (one colour per class, with a
        legend) or numbers (a colour scale); one colour for all rows when None.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    ValueError
        If ``y`` and ``X`` have different lengths.
    """
    check_is_fitted(augmenter)
    if y is not None:
        y = np.asarray(y).ravel()
    means = augmenter.encode(X, y if _holds_classes(augmenter, y) else None)
    if y is not None:
        if len(y) != len(means):
            raise ValueError(
                f"y has {len(y)} values but X has {len(means)} rows; they must have the "
                "same length."
            )
    points, labels = _latent_points(means)
    fig, ax = figure_and_axes(ax)
    _draw_latent_points(fig, ax, points, y)
    if points.shape[1] == 2:
        ax.set_ylabel(labels[1])
    ax.set_xlabel(labels[0])
    if ax.get_legend_handles_labels()[1]:
        ax.legend(title="class", fontsize="small")
    ax.set_title("Latent space (posterior means)")
    return fig


def _latent_points(means: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The latent means in at most 2-D (first two principal components) and axis labels."""
    if means.shape[1] > 2:
        pca = PCA(n_components=2).fit(means)
        points = pca.transform(means)
        labels = [
            f"PC {k + 1} ({share:.0%} of variance)"
            for k, share in enumerate(pca.explained_variance_ratio_)
        ]
        return points, labels
    return means, [f"z{k + 1}" for k in range(means.shape[1])]


def _draw_latent_points(fig: Figure, ax: Axes, points: np.ndarray, y) -> None:
    """Draw histograms of 1-D points or a scatter of 2-D ones, by class or target ``y``."""
    if points.shape[1] == 1:
        groups = [(None, np.ones(len(points), dtype=bool))]
        if y is not None and _is_classes(y):
            groups = [(str(level), y == level) for level in pd.unique(y)]
        for name, rows in groups:
            ax.hist(points[rows, 0], bins=_MAX_BINS, histtype="step", label=name)
        ax.set_ylabel("rows")
    elif y is None:
        ax.scatter(points[:, 0], points[:, 1], s=8, alpha=0.6)
    elif _is_classes(y):
        for level in pd.unique(y):
            rows = y == level
            ax.scatter(points[rows, 0], points[rows, 1], s=8, alpha=0.6, label=str(level))
    else:
        dots = ax.scatter(points[:, 0], points[:, 1], s=8, alpha=0.6, c=y.astype(float))
        fig.colorbar(dots, ax=ax, label="target")
