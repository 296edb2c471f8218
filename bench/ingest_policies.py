"""Ingest N documents of the seeds' size into a fresh database and time it (target: 1,000 in < 2 min).

    .venv/bin/python bench/ingest_policies.py [--n 1000] [--workers 2] [--postgres]

SQLite goes to a fresh TONGCHOU_HOME under /tmp; --postgres uses database tongchou_bench_policies on
127.0.0.1 (dropped and re-created). The documents are the five seeds, each copy with its own slug
and a unique first line. Leaves the database in place for bench/search_policies.py (prints the env
to use).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
PG_URL = "postgres://postgres@127.0.0.1:5432/tongchou_bench_policies"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="tongchou-bench-"))
    os.environ["TONGCHOU_HOME"] = str(home)
    if args.postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS tongchou_bench_policies")
            conn.execute("CREATE DATABASE tongchou_bench_policies")
        os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    src = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    folder = home / "docs"
    folder.mkdir()
    size = 0
    for i in range(args.n):
        text = f"（批量样本{i:04d}）\n" + src[i % len(src)].replace(
            "周政字〔2020〕8号", f"周政字〔2020〕{100 + i}号"
        )
        data = text.encode("utf-8")
        size += len(data)
        (folder / f"bench-{i:04d}.txt").write_bytes(data)

    from tongchou.policies.models import Measure, PolicyDocument

    c0 = time.process_time()
    t0 = time.perf_counter()
    call_command("ingest", str(folder), "--workers", str(args.workers), stdout=open(os.devnull, "w"))
    elapsed = time.perf_counter() - t0
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - c0 + children.ru_utime + children.ru_stime
    print(f"database: {connection.vendor}  workers: {args.workers}")
    print(
        f"ingested {PolicyDocument.objects.count()} documents ({size / 1e6:.1f} MB), {Measure.objects.count()} measures"
    )
    print(
        f"total {elapsed:.1f} s, {elapsed / args.n * 1000:.0f} ms per document (load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"CPU time (this process + parse workers): {cpu:.1f} s -> on {args.workers} idle cores about {cpu / args.workers:.0f} s"
    )
    env = f"DATABASE_URL={PG_URL}" if args.postgres else f"TONGCHOU_HOME={home}"
    print(f"search bench: {env} .venv/bin/python bench/search_policies.py")


if __name__ == "__main__":
    main()
