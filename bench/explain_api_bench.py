"""Explaining one enterprise through the API: latency of GET /api/rules/explain (live tracer over
every published rule) and GET /api/rules/mine (stored decisions), in-process through Django's test
client (no network), on the demo database.

Run:  TONGCHOU_HOME=/tmp/bench_home .venv/bin/python bench/explain_api_bench.py [--n 300]
(the first run migrates and loads the demo: reference data, accounts, pack, 3,000 enterprises,
a match run). Prints p50/p95/p99 in milliseconds; target p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")
os.environ.setdefault("TONGCHOU_HOME", "/tmp/tongchou_bench_home")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def ensure_demo() -> None:
    from tongchou.accounts.demo import step_accounts
    from tongchou.enterprises.demo import step_enterprise_account
    from tongchou.regions.demo import step_reference
    from tongchou.rules.demo import seed
    from tongchou.rules.models import MatchRun

    call_command("migrate", verbosity=0)
    if MatchRun.objects.filter(status="done").exists():
        return
    out = io.StringIO()
    step_reference(out)
    step_accounts(out)
    step_enterprise_account(out)
    print(seed(out))


def measure(client: Client, url: str, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request (CPU time is what the request costs when
    the machine is shared; the wall clock includes waiting for a core)."""
    client.get(url)  # warm caches (specs, templates)
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        resp = client.get(url)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert resp.status_code == 200, resp.content[:300]
    return wall, cpu


def report(name: str, result: tuple[list[float], list[float]]) -> None:
    for kind, times in zip(("wall", "cpu"), result, strict=True):
        times = sorted(times)
        q = statistics.quantiles(times, n=100)
        print(
            f"{name:<52} {kind:<4} n={len(times)}  p50={q[49]:.1f} ms  p95={q[94]:.1f} ms  "
            f"p99={q[98]:.1f} ms  max={times[-1]:.1f} ms"
        )
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    setup_test_environment()
    ensure_demo()
    from tongchou.accounts.models import User
    from tongchou.rules.models import RuleVersion

    client = Client()
    client.force_login(User.objects.get(username="qiye"))
    rules = RuleVersion.objects.filter(status="published").count()
    print(f"published rules: {rules}")
    report(
        "GET /api/rules/explain?as_of=2020-04-15 (live tracer)",
        measure(client, "/api/rules/explain?as_of=2020-04-15", args.n),
    )
    report("GET /api/rules/mine (stored decisions)", measure(client, "/api/rules/mine", args.n))


if __name__ == "__main__":
    main()
