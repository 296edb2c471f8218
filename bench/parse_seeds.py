"""Time parsing the five seed documents together (target: under 1 s).

.venv/bin/python bench/parse_seeds.py [SEEDS_DIR]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tongchou.policies.parsing import parse_bytes  # noqa: E402


def main() -> None:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds"
    files = [(p.name, p.read_bytes()) for p in sorted(seeds.glob("*.txt"))]
    t0 = time.perf_counter()
    docs = [parse_bytes(data, filename=name) for name, data in files]
    cold = time.perf_counter() - t0
    runs = []
    for _ in range(10):
        t0 = time.perf_counter()
        for name, data in files:
            parse_bytes(data, filename=name)
        runs.append(time.perf_counter() - t0)
    size = sum(len(d) for _, d in files)
    print(f"{len(files)} seeds, {size / 1024:.0f} KiB, {sum(len(d.measures) for d in docs)} measures")
    print(f"cold (first run, includes OpenCC/regex set-up): {cold * 1000:.0f} ms")
    print(
        f"warm: median {statistics.median(runs) * 1000:.0f} ms, max {max(runs) * 1000:.0f} ms over {len(runs)} runs"
    )


if __name__ == "__main__":
    main()
