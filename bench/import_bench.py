"""Import benchmark (issue 2): a 100,000-row .xlsx with three bad rows is refused naming exactly those
rows and nothing is written; the same file with them fixed imports; the import is timed.

    TONGCHOU_HOME=/tmp/tongchou-bench .venv/bin/python bench/import_bench.py [--rows 100000]

Uses a fresh SQLite database under TONGCHOU_HOME (migrated here), unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TONGCHOU_HOME", str(Path(tempfile.gettempdir()) / "tongchou-bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2020)
    args = ap.parse_args()

    home = Path(os.environ["TONGCHOU_HOME"])
    if "DATABASE_URL" not in os.environ:
        for f in home.glob("*.sqlite3*"):
            f.unlink()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import polars as pl

    from tongchou.enterprises.generate import generate_frame, write_frame
    from tongchou.enterprises.importing import ImportRefused, enterprises_import
    from tongchou.enterprises.models import Enterprise
    from tongchou.facts.models import EnterpriseFact

    t = time.perf_counter()
    df = generate_frame(args.rows, "370300", args.seed)
    # three bad rows: a broken check character, an unknown region, a duplicate USCC
    bad_idx = [1233, 45_677, args.rows - 10]
    good_uscc = df["uscc"][bad_idx[0]]
    broken = df.with_columns(
        uscc=pl.when(pl.int_range(pl.len()) == bad_idx[0])
        .then(pl.lit(good_uscc[:-1] + ("0" if good_uscc[-1] != "0" else "1")))
        .when(pl.int_range(pl.len()) == bad_idx[2])
        .then(pl.lit(df["uscc"][7]))
        .otherwise(pl.col("uscc")),
        region_code=pl.when(pl.int_range(pl.len()) == bad_idx[1])
        .then(pl.lit("370399"))
        .otherwise(pl.col("region_code")),
    )
    out = home / "bench"
    out.mkdir(parents=True, exist_ok=True)
    bad_file = out / f"enterprises-{args.rows}-{args.seed}-bad.xlsx"
    good_file = out / f"enterprises-{args.rows}-{args.seed}.xlsx"
    if not (bad_file.exists() and good_file.exists()):  # writing with openpyxl is the slow part: reuse
        write_frame(broken, bad_file, chinese_headers=True)
        write_frame(df, good_file, chinese_headers=True)
    print(
        f"two {args.rows:,}-row xlsx files ready in {time.perf_counter() - t:.1f} s "
        f"({bad_file.stat().st_size / 1e6:.1f} MB each, {df.width} columns)",
        flush=True,
    )

    t = time.perf_counter()
    try:
        enterprises_import(source=bad_file, fact_source="bench")
    except ImportRefused as exc:
        rows = sorted({e["row"] for e in exc.detail})
        print(f"refused in {time.perf_counter() - t:.1f} s: {exc.message}", flush=True)
        for e in exc.detail:
            print(f"  第{e['row']}行 [{e['column']}] {e['value']}: {e['message']}")
        expected = [i + 2 for i in bad_idx]  # header is row 1
        assert rows == expected, (rows, expected)
        assert Enterprise.objects.count() == 0 and EnterpriseFact.objects.count() == 0
        print(f"  -> exactly rows {expected}; nothing written")
    else:
        raise SystemExit("the bad file was NOT refused")

    t, c = time.perf_counter(), time.process_time()
    report = enterprises_import(source=good_file, fact_source="bench")
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    print(
        f"imported {report.created:,} enterprises + {report.facts_written:,} facts in {secs:.1f} s wall, "
        f"{cpu:.1f} s CPU "
        f"(size class derived for {report.size_classified:,}); {Enterprise.objects.count():,} rows in the DB"
    )
    t = time.perf_counter()
    report = enterprises_import(source=good_file, fact_source="bench")
    print(f"re-import (all updates): {report.updated:,} updated in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
