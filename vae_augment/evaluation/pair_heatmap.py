"""The heat-map of a pair table: how much each relation differs, one scale per score."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .fidelity import CONTINGENCY, CORRELATION
from .figures import figure_and_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colour map and colour-bar label of each kind of pair score: they measure different
#: things, so each has a scale of its own.
_PAIR_SCALES = {
    CORRELATION: ("Blues", "correlations: |r real - r synthetic| / 2"),
    CONTINGENCY: ("Oranges", "contingency tables: total variation"),
}


def _pair_gaps(pairs: pd.DataFrame, names: list) -> dict:
    """Per metric, a symmetric matrix of ``1 - score`` (NaN for the other metric's pairs)
    and a matrix of whether the pair is counted in the mean."""
    position = {name: i for i, name in enumerate(names)}
    gaps = {metric: np.full((len(names), len(names)), np.nan) for metric in _PAIR_SCALES}
    counted = np.zeros((len(names), len(names)), dtype=bool)
    for pair in pairs.itertuples(index=False):
        i, j = position[pair.column_a], position[pair.column_b]
        gaps[pair.metric][i, j] = gaps[pair.metric][j, i] = 1.0 - pair.score
        counted[i, j] = counted[j, i] = pair.counted
    return {"gaps": gaps, "counted": counted}


def pair_difference_figure(
    pairs: pd.DataFrame, names: list, trends: float, ax: Axes | None = None
) -> Figure:
    """Draw the heat-map of a pair table (see :func:`plot_association_difference`).

    Parameters
    ----------
    pairs : DataFrame
        A :attr:`QualityReport.pairs <vae_augment.QualityReport.pairs>` table.
    names : list
        The columns, in the order of the heat-map's rows.
    trends : float
        The column pair trends score, for the title.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is made when None.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    matrices = _pair_gaps(pairs, names)
    # Room for two colour bars beside the cells.
    size = (max(8.0, 4 + 0.5 * len(names)), max(4.8, 1.5 + 0.45 * len(names)))
    fig, ax = figure_and_axes(ax, figsize=size)
    for metric, (cmap, label) in _PAIR_SCALES.items():
        gap = matrices["gaps"][metric]
        if np.isnan(gap).all():
            continue
        vmax = max(0.1, float(np.nanmax(gap)))
        image = ax.imshow(np.ma.masked_invalid(gap), cmap=cmap, vmin=0.0, vmax=vmax)
        fig.colorbar(image, ax=ax, label=label, shrink=0.8, pad=0.02)
        if len(names) <= 12:
            for i, j in zip(*np.nonzero(np.isfinite(gap)), strict=True):
                ax.text(
                    j,
                    i,
                    f"{gap[i, j]:.2f}",
                    ha="center",
                    va="center",
                    color="white" if gap[i, j] > 0.6 * vmax else "black",
                    fontweight="bold" if matrices["counted"][i, j] else "normal",
                    fontsize="small",
                )
    ticks = np.arange(len(names))
    ax.set_xticks(ticks, [str(n) for n in names], rotation=45, ha="right")
    ax.set_yticks(ticks, [str(n) for n in names])
    ax.set_xlim(-0.5, len(names) - 0.5)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_title(f"Association difference (column pair trends {trends:.3f})")
    return fig
