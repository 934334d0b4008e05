"""Peak memory of one VAEAugmenter fit, and sampling speed, in a fresh process.

``compare.py`` measures memory inside one long run, where allocator pools kept from
earlier fits absorb part of each fit's allocations; this script gives the figure for a
process that has only done a 500-row warm-up fit on the same table. Each table runs in
a process of its own (a child per table)::

    python benchmarks/fit_memory.py mlc_churn loans flights
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from compare import WARM_UP_ROWS, _model_megabytes
from measures import PeakMemory
from synthesizers import VAESynthesizer
from tables import load_table, split_table


def measure(name: str) -> str:
    """One markdown row for ``name``, measured in this process."""
    table = load_table(name)
    train, _ = split_table(table)
    warm = train.sample(min(len(train), WARM_UP_ROWS), random_state=0)
    VAESynthesizer().fit(warm.reset_index(drop=True), table.target)
    synthesizer = VAESynthesizer()
    with PeakMemory() as memory:
        start = time.perf_counter()
        synthesizer.fit(train, table.target)
        fit_s = time.perf_counter() - start
    sizes = _model_megabytes(synthesizer, len(train))
    base = sizes["encoded_mb"] + sizes["model_mb"]
    start = time.perf_counter()
    synthesizer.sample(1_000_000)
    rate = 1_000_000 / (time.perf_counter() - start)
    return (
        f"| {name} | {fit_s:.1f} | {memory.peak_mb:.1f} | {base:.1f} | "
        f"{memory.peak_mb / base:.1f} | {rate:,.0f} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Print a markdown table: one row per table, each measured in a fresh child."""
    names = argv if argv is not None else sys.argv[1:]
    if names[:1] == ["--child"]:
        print(measure(names[1]), flush=True)
        return 0
    print(
        "| table | fit s | peak MB | encoded data + model MB | ratio | sample(1M) rows/s |"
    )
    print("|---|---|---|---|---|---|", flush=True)
    for name in names:
        subprocess.run([sys.executable, __file__, "--child", name], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
