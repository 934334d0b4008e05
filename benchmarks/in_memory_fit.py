"""Peak memory of an in-memory fit: ``scale.py``'s 20-column table as a DataFrame.

Builds the table (``--rows`` rows) in memory, then fits ``VAEAugmenter(max_epochs=1)``
to it while a thread samples the process's resident memory every 2 ms. Reports the
DataFrame's own size (``memory_usage(deep=True)``), the resident memory above the
imports once it is built, and the fit's peak above the imports and above that. One
epoch is enough: training holds the same memory every epoch. Run it in the package's
environment (about a minute at a million rows on 2 cores)::

    .venv/bin/python benchmarks/in_memory_fit.py --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import warnings
from pathlib import Path

from scale import _megabytes_now, make_chunk

import vae_augment

HERE = Path(__file__).resolve().parent


def measure(n_rows: int) -> dict:
    imports = _megabytes_now()
    frame = make_chunk(n_rows, seed=0)
    frame_mb = frame.memory_usage(deep=True).sum() / 2**20
    built = _megabytes_now()
    peak, done = [built], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _megabytes_now())
            time.sleep(0.002)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", vae_augment.MaxEpochsWarning)
        vae_augment.VAEAugmenter(max_epochs=1, random_state=0).fit(frame)
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    return {
        "rows": n_rows,
        "dataframe_mb": frame_mb,
        "built_above_imports_mb": built - imports,
        "peak_above_imports_mb": peak[0] - imports,
        "peak_above_built_mb": peak[0] - built,
        "fit_s": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--output", type=Path, default=HERE / "results" / "in_memory_fit.json"
    )
    args = parser.parse_args()
    result = measure(args.rows)
    print(
        f"DataFrame {result['dataframe_mb']:.0f} MB (resident +"
        f"{result['built_above_imports_mb']:.0f} MB once built); fit peak "
        f"{result['peak_above_imports_mb']:.0f} MB above the imports, "
        f"{result['peak_above_built_mb']:.0f} MB above the built DataFrame "
        f"({result['peak_above_built_mb'] / result['dataframe_mb']:.2f}x its size)"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
