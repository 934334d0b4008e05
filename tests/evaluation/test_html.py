"""The HTML view of a quality report: self-contained, with its tables and plots."""

import importlib.util
import re
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from helpers import make_mixed_frame

from vae_augment import quality_report

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SCREENSHOT_SCRIPT = Path(__file__).parents[2] / "benchmarks" / "screenshot_report.py"
_IMAGE = re.compile(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)">')


@pytest.fixture(scope="module")
def report():
    X, y = make_mixed_frame(200)
    other = make_mixed_frame(200, seed=1)[0]
    held_out, held_out_y = make_mixed_frame(100, seed=2)
    return quality_report(
        X.assign(risk=y),
        other.assign(risk=y),
        holdout=held_out.assign(risk=held_out_y),
        random_state=0,
    )


def test_notebook_view_has_the_tables_and_the_plots(report):
    fragment = report._repr_html_()
    assert "<html" not in fragment  # a fragment, for a notebook cell
    assert fragment.count("<table") == 3  # summary, columns, pairs
    assert "<th>holdout ceiling</th>" in fragment and "detection AUC" in fragment
    assert "<td>income</td>" in fragment
    assert _IMAGE.findall(fragment) == [
        "Marginals: real vs synthetic",
        "Pair trends: how each relation differs",
    ]
    assert "http" not in fragment  # self-contained: nothing to fetch


def test_page_is_written_with_more_figures(report, tmp_path):
    plt.close("all")
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    page = report.to_html(tmp_path / "report.html", figures={"My <plot>": fig})
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert _IMAGE.findall(page)[-1] == "My &lt;plot&gt;"
    assert not plt.get_fignums()  # the figures drawn for the page are closed


def test_without_matplotlib_the_page_has_the_tables_only(report, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    fragment = report._repr_html_()
    assert "<img" not in fragment and fragment.count("<table") == 3
    assert 'pip install "vae-augment[plots]"' in fragment.replace("&quot;", '"')


def _screenshot_module():
    spec = importlib.util.spec_from_file_location("screenshot_report", SCREENSHOT_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_browser_renders_the_page(report, tmp_path):
    screenshot = _screenshot_module()
    if screenshot.chromium() is None:
        pytest.skip("no chromium binary on PATH")
    report.to_html(tmp_path / "report.html")
    png = screenshot.screenshot(
        tmp_path / "report.html", tmp_path / "report.png", window=(1000, 1400)
    )
    pixels = plt.imread(png)[..., :3]
    assert pixels.shape[:2] == (1400, 1000)
    ink = (pixels < 0.9).any(axis=-1)
    assert 0.02 < ink.mean() < 0.6  # text, table rules and plots on a white page
    # The plots' blue (real) and orange (synthetic) bars made it to the screen.
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 0] < 0.4)
    orange = (pixels[..., 0] > 0.8) & (pixels[..., 1] > 0.3) & (pixels[..., 2] < 0.3)
    assert blue.sum() > 500 and orange.sum() > 500
    assert np.isfinite(pixels).all()
