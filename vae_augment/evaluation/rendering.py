"""A quality report as people read it: a text table, or a self-contained HTML page."""

from __future__ import annotations

import base64
import html
import io
import os
import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..utils.files import replaced_atomically
from . import plots
from .pair_heatmap import pair_difference_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_SYNTHETIC, _CEILING, _BEST = "synthetic", "holdout ceiling", "best"
_FIDELITY = {
    "column shapes": ("column_shapes", "1"),
    "column pair trends": ("column_pair_trends", "1"),
    "overall quality": ("overall", "1"),
    "missing values": ("missing_values", "1"),
    "detection AUC": ("detection_auc", "0.5"),
    "copies of real rows": ("copies", "0"),
    "DCR ratio": ("dcr_ratio", "1"),
}
_UTILITY = {"r2": "R²", "balanced_accuracy": "balanced accuracy", "roc_auc": "ROC AUC"}


def _value(value) -> float:
    return np.nan if value is None else float(value)


def summary(report) -> pd.DataFrame:
    """The headline scores: one row per score, the synthetic value and its ceiling."""
    rows = {}
    for label, (name, best) in _FIDELITY.items():
        ceiling = np.nan if report.holdout is None else getattr(report.holdout, name)
        rows[label] = (_value(getattr(report, name)), _value(ceiling), best)
    if report.tstr is not None:
        for name, label in _UTILITY.items():
            value = getattr(report.tstr, name)
            if value is not None:
                best = "1"
                rows[f"TSTR {label} ({report.target})"] = (
                    value,
                    getattr(report.trtr, name),
                    best,
                )
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=[_SYNTHETIC, _CEILING, _BEST]
    )


def _heading(report) -> str:
    held = "" if report.holdout is None else f" ({report.holdout.synthetic_rows} held out)"
    return (
        f"Quality of {report.synthetic_rows} synthetic rows against "
        f"{report.real_rows} real rows{held}"
    )


def notes(report) -> list[str]:
    """What the ceiling column and the pair count mean, one sentence each."""
    counted, pairs = int(report.pairs["counted"].sum()), len(report.pairs)
    lines = [
        "column shapes, column pair trends and overall quality are SDMetrics' Quality "
        f"Report scores; the pair trends average the {counted} of {pairs} pairs of "
        "columns with a trend in the real rows (|r| > 0.5 or Cramér's V > 0.3)",
    ]
    if report.holdout is None:
        lines.append(
            "holdout ceiling: give held-out real rows (holdout=, or --holdout) to "
            "score them alike, the ceiling to compare with, and for the DCR ratio"
        )
    else:
        lines.append(
            "holdout ceiling: the held-out real rows scored as the synthetic ones are "
            f"({report.holdout.synthetic_rows} rows: fewer rows score lower by chance)"
        )
    if report.tstr is not None:
        if report.tstr.tested_on == "holdout":
            how = "tested on the held-out rows; its ceiling: trained on the real rows"
        else:
            how = (
                "tested on the real rows; its ceiling: trained on the real rows, "
                "cross-validated (5 folds)"
            )
        lines.append(f"TSTR: a model trained on the synthetic rows, {how}")
    return lines


def _formatted(table: pd.DataFrame) -> pd.DataFrame:
    """Numbers with 3 decimals, unknown ones as ``n/a`` (``-`` for a ceiling)."""
    out = table.copy()
    for column in (_SYNTHETIC, _CEILING):
        empty = "-" if column == _CEILING else "n/a"
        out[column] = [empty if np.isnan(v) else f"{v:.3f}" for v in table[column]]
    return out


def text(report) -> str:
    """The report as a text table with its notes."""
    table = _formatted(summary(report)).to_string()
    lines = [
        textwrap.fill(line, 88, initial_indent="* ", subsequent_indent="  ")
        for line in notes(report)
    ]
    return "\n".join([_heading(report), table, *lines])


# ----------------------------------------------------------------------------- HTML
_STYLE = """
.vae-augment-report { font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #1f2328; max-width: 1100px; line-height: 1.4; }
.vae-augment-report table { border-collapse: collapse; margin: 0.5em 0 1em; }
.vae-augment-report th, .vae-augment-report td { padding: 0.25em 0.8em;
  border-bottom: 1px solid #d0d7de; text-align: right; }
.vae-augment-report th:first-child, .vae-augment-report td:first-child { text-align: left; }
.vae-augment-report thead th { background: #f6f8fa; }
.vae-augment-report .notes { color: #57606a; font-size: 0.9em; }
.vae-augment-report img { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
"""


def _table_html(table: pd.DataFrame, index: bool) -> str:
    return table.to_html(
        index=index, border=0, na_rep="n/a", float_format=lambda v: f"{v:.3f}"
    )


def _image(title: str, figure: Figure) -> str:
    """A titled ``<img>`` holding the figure as an inline PNG; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plots.pyplot().close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    title = html.escape(title)
    return f'<h3>{title}</h3>\n<img src="data:image/png;base64,{data}" alt="{title}">'


def _figures_html(report, tables: tuple, figures: dict) -> list[str]:
    """The report's plots (and ``figures``) as titled images, or why there are none."""
    try:
        plots.pyplot()
    except ImportError:
        return [
            '<p class="notes">The plots need matplotlib: '
            'pip install "vae-augment[plots]".</p>'
        ]
    drawn = {"Marginals: real vs synthetic": plots.plot_marginals(*tables)}
    if len(report.pairs):
        drawn["Pair trends: how each relation differs"] = pair_difference_figure(
            report.pairs, list(report.columns["column"]), report.column_pair_trends
        )
    return [_image(title, figure) for title, figure in {**drawn, **figures}.items()]


def html_fragment(report, tables: tuple, figures: dict) -> str:
    """The report as an HTML fragment (a notebook's view): tables, notes and plots.

    ``tables`` are the real and synthetic rows, for the plots.
    """
    parts = [
        f"<style>{_STYLE}</style>",
        '<div class="vae-augment-report">',
        "<h2>Synthetic data quality report</h2>",
        f"<p>{html.escape(_heading(report))}</p>",
        _table_html(_formatted(summary(report)), index=True),
        '<ul class="notes">',
        *(f"<li>{html.escape(line)}</li>" for line in notes(report)),
        "</ul>",
        "<h3>Columns</h3>",
        _table_html(report.columns, index=False),
        f"<details><summary>Pairs of columns ({len(report.pairs)})</summary>",
        _table_html(report.pairs, index=False),
        "</details>",
        *_figures_html(report, tables, figures),
        "</div>",
    ]
    return "\n".join(parts)


def html_document(
    report, tables: tuple, path: str | os.PathLike | None, figures: dict
) -> str:
    """A self-contained HTML page of the report, written to ``path`` when given."""
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            "<title>Synthetic data quality report</title>",
            "<style>body { margin: 24px; background: #fff; }</style></head><body>",
            html_fragment(report, tables, figures),
            "</body></html>",
            "",
        ]
    )
    if path is not None:
        with replaced_atomically(path) as partial:
            partial.write_text(page, encoding="utf-8")
    return page
