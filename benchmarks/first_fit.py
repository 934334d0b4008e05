"""The fixed cost of a fresh process (import, the first fit's extra) and sampling speed.

Each repeat is a new Python process that imports ``vae_augment`` (timed), then fits
the same table twice (timed each): the first fit's excess over the second is what a
process pays once -- modules torch imports on first use, allocator warm-up. The table
is 5,000 rows x 20 columns (14 numeric, 6 categorical), the size of the speed issue's
"<= 1 s after imports" target. Each process then times ``sample(1_000_000)`` of the
second fit three times (rows/s to a DataFrame; the median of each process, then of
the processes). Run it in the package's environment; ``--python`` runs
the processes with another interpreter (an older checkout on ``PYTHONPATH``, say)::

    .venv/bin/python benchmarks/first_fit.py --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = r"""
import json, time
start = time.perf_counter()
import numpy as np, pandas as pd
import vae_augment
imported = time.perf_counter()
rng = np.random.default_rng(0)
n = 5000
latent = rng.normal(size=(n, 3))
numbers = latent @ rng.normal(size=(3, 14)) + rng.normal(scale=0.5, size=(n, 14))
frame = pd.DataFrame(numbers, columns=[f"x{j}" for j in range(14)])
for j in range(6):
    frame[f"c{j}"] = pd.Categorical(np.digitize(latent[:, j % 3], [-0.5, 0.5]).astype(str))
fits = []
for _ in range(2):
    t = time.perf_counter()
    model = vae_augment.VAEAugmenter(random_state=0).fit(frame)
    fits.append(time.perf_counter() - t)
model.sample(10_000)
rates = []
for seed in range(3):
    t = time.perf_counter()
    model.sample(1_000_000, random_state=seed)
    rates.append(1_000_000 / (time.perf_counter() - t))
timings = {"import_s": imported - start, "first_fit_s": fits[0], "second_fit_s": fits[1],
           "sample_rows_per_s": sorted(rates)[1]}
print(json.dumps(timings))
"""


def one_process(python: str) -> dict:
    # The benchmark directory must not shadow the package under test.
    out = subprocess.run(
        [python, "-c", _CHILD], capture_output=True, text=True, check=True, cwd="/"
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "first_fit.json")
    args = parser.parse_args()
    runs = [one_process(args.python) for _ in range(args.repeats)]
    summary = {
        key: statistics.median(run[key] for run in runs)
        for key in ("import_s", "first_fit_s", "second_fit_s", "sample_rows_per_s")
    }
    summary["first_fit_extra_s"] = summary["first_fit_s"] - summary["second_fit_s"]
    for key, value in summary.items():
        print(f"{key:>18}: {value:.2f} (median of {args.repeats})")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "python": args.python,
                "pythonpath": os.environ.get("PYTHONPATH"),
                "runs": runs,
                "median": summary,
            },
            indent=1,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
