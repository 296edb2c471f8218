"""Generator benchmark (issue 2): one million synthetic enterprises to a file in under 60 s.

    .venv/bin/python bench/generate_bench.py [--rows 1000000] [--out /tmp/tongchou-gen]

No database: the generator reads the shipped region CSV.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--region", default="370300")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "tongchou-gen"))
    args = ap.parse_args()

    from tongchou.enterprises.generate import generate_frame, write_frame
    from tongchou.enterprises.uscc import check

    out = Path(args.out)
    t0, c0 = time.perf_counter(), time.process_time()
    df = generate_frame(args.rows, args.region, args.seed)
    gen = time.perf_counter() - t0
    print(
        f"generated {df.height:,} rows x {df.width} columns in {gen:.1f} s wall, {time.process_time() - c0:.1f} s CPU"
    )
    for suffix in (".parquet", ".csv"):
        t = time.perf_counter()
        path = write_frame(df, out / f"enterprises-{args.rows}{suffix}")
        w = time.perf_counter() - t
        print(
            f"  {suffix:8} written in {w:.1f} s ({path.stat().st_size / 1e6:.0f} MB); generate + write {gen + w:.1f} s"
        )
    kinds = df["kind"].value_counts(normalize=True).sort("kind")
    print("  kinds:", {k: round(p, 3) for k, p in kinds.iter_rows()})
    sample = df.sample(1000, seed=1)["uscc"]
    assert all(check(u).valid for u in sample)
    assert df["uscc"].n_unique() == df.height
    print("  1,000 sampled USCCs valid; all unique")


if __name__ == "__main__":
    main()
