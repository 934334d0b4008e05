"""Our SDMetrics-named scores are SDMetrics' own (run where SDMetrics is installed).

The normal test environment has no SDMetrics, so this is skipped there; in the bench
environment (``make bench-smoke``'s ``.venv-bench``) it runs
``benchmarks/report_vs_sdmetrics.py`` on two small tables with short fits.
"""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("sdmetrics")

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "report_vs_sdmetrics.py"


def _comparison():
    spec = importlib.util.spec_from_file_location("report_vs_sdmetrics", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("table", ["kinds", "penguins"])
def test_column_shapes_pair_trends_and_overall_match_sdmetrics(table):
    comparison = _comparison()
    rows = comparison.compare(table, max_epochs=5)
    assert {row["score"] for row in rows} == set(comparison.SCORES)
    worst = max(rows, key=lambda row: row["diff"])
    assert worst["diff"] <= comparison.TOLERANCE, worst
