"""Render a quality report's HTML page in headless Chromium and save a screenshot.

Checks what a user's browser shows of ``QualityReport.to_html`` (and of the
``report.html`` that ``vae-augment report`` writes): the tables, the notes and the
embedded plots. Needs a ``chromium`` binary on ``PATH`` (Debian: ``apt-get install
chromium``) and matplotlib. Run from the repository root::

    python benchmarks/screenshot_report.py                     # penguins -> docs/img
    python benchmarks/screenshot_report.py --html report/report.html --png shot.png

Without ``--html`` it fits ``VAEAugmenter`` on 70 % of the penguins (seed 0), samples
1,000 rows and writes the report of those rows (the other 30 % held out, ``species`` as
the TSTR target) to a temporary page, whose screenshot is ``docs/img/report.png``, the
one the docs show.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The checkout this file lives in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Browser window of the screenshot, in CSS pixels: width, height.
WINDOW = (1200, 1600)
#: Seconds Chromium may take to render the page.
TIMEOUT = 120
IMG = Path(__file__).resolve().parents[1] / "docs" / "img"


def chromium() -> str | None:
    """The path of a Chromium (or Chrome) binary on ``PATH``, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(page: Path, png: Path, window: tuple[int, int] = WINDOW) -> Path:
    """Render ``page`` in headless Chromium and save the window as ``png``.

    The browser runs with a throw-away profile, without a sandbox (root in a
    container), a GPU or any network service of its own.

    Parameters
    ----------
    page : Path
        The HTML file.
    png : Path
        Where to write the screenshot.
    window : tuple of int, default=WINDOW
        Window width and height in pixels.

    Returns
    -------
    Path
        ``png``.

    Raises
    ------
    FileNotFoundError
        If no Chromium binary is on ``PATH``.
    RuntimeError
        If Chromium wrote no screenshot (its output is in the message).
    """
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("no chromium binary on PATH (apt-get install chromium)")
    png = Path(png).resolve()
    with tempfile.TemporaryDirectory() as profile:
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={window[0]},{window[1]}",
            Path(page).resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot: {done.stderr[-2000:]}")
    return png


def penguins_report(page: Path) -> Path:
    """Write the report of 1,000 synthetic penguins (seed 0) to ``page``."""
    from tables import load_table, split_table

    from vae_augment import VAEAugmenter, quality_report

    table = load_table("penguins")
    train, test = split_table(table)
    X, y = train.drop(columns=table.target), train[table.target]
    augmenter = VAEAugmenter(random_state=0).fit(X, y)
    X_new, y_new = augmenter.sample(1000, random_state=0)
    synthetic = X_new.assign(**{table.target: y_new})[train.columns]
    report = quality_report(
        train, synthetic, holdout=test, target=table.target, random_state=0
    )
    print(report)
    report.to_html(page)
    return page


def main(argv: list[str] | None = None) -> int:
    """Write (or take) a report page and screenshot it."""
    sys.path.insert(1, str(Path(__file__).resolve().parent))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="page to render (default: penguins)")
    parser.add_argument("--png", type=Path, default=IMG / "report.png")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        page = args.html or penguins_report(Path(folder) / "report.html")
        print(f"Wrote {screenshot(page, args.png)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
