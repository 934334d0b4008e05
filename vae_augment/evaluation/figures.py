"""Where plots draw: matplotlib's pyplot (an optional extra) and a figure to draw on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..utils.optional import optional_import

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def pyplot():
    """``matplotlib.pyplot`` (an optional dependency: the ``plots`` extra)."""
    return optional_import("matplotlib.pyplot", extra="plots", feature="plots")


def figure_and_axes(ax: Axes | None, figsize=None) -> tuple[Figure, Axes]:
    """``ax`` and its figure, or a new figure (of ``figsize``) and its one Axes."""
    if ax is None:
        return pyplot().subplots(layout="constrained", figsize=figsize)
    return ax.figure, ax
