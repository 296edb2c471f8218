"""Bench: reading every enterprise's facts as of a date from the database (the snapshot a match run
and the simulations evaluate), median and spread of several runs.

    TONGCHOU_HOME=/tmp/snap .venv/bin/python bench/facts_snapshot_bench.py [--count 200000] [--runs 3]

The first run migrates and loads ``--count`` generated enterprises with their generated facts
(``generate-enterprises --load``). ``TONGCHOU_ROOT=/path/to/other/checkout`` times another checkout
of the code against the same kind of database (to compare before/after a change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("TONGCHOU_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")
os.environ.setdefault("TONGCHOU_HOME", "/tmp/tongchou-snapshot-bench")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--as-of", default="2020-04-01")
    args = ap.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tongchou.enterprises.models import Enterprise

    if Enterprise.objects.count() < args.count:
        call_command("load-reference", verbosity=0)
        call_command(
            "generate-enterprises",
            "--count",
            str(args.count),
            "--region",
            "370300",
            "--seed",
            "2020",
            "--load",
        )
    from django.apps import apps

    if apps.is_installed("tongchou.facts"):
        from tongchou.facts.selectors import snapshot_as_of as snapshot
    else:  # the code before the facts app
        from tongchou.rules.facts_store import snapshot_frame as snapshot
    as_of = dt.date.fromisoformat(args.as_of)
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        snap = snapshot(as_of)
        times.append(time.perf_counter() - t)
    print(
        f"{ROOT}: snapshot of {snap.frame.height:,} enterprises × {snap.frame.width} facts "
        f"({sum(len(m) for m in snap.meta.values()):,} dated values): median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f}, max {max(times):.2f} (runs {len(times)}; load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
