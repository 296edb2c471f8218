"""Appeal submission through the JSON API under sustained load (issue 5).

    .venv/bin/python bench/appeals_submit_bench.py [--rate 200] [--duration 60] [--db URL]

Starts `tongchou serve` (waitress) on a free loopback port against PostgreSQL (default
postgres://postgres@127.0.0.1:5432/tongchou_bench, created and migrated here), issues an API token
for a 12345-hotline account, then sends `rate` submissions per second for `duration` seconds from
an open-loop thread pool: request i is due at t0 + i/rate, and its latency counts from that moment,
so a slow server cannot hide queueing (no coordinated omission). Bounded: at most rate*duration
requests, 64 client threads, loopback only. Afterwards every acknowledged (201) number is looked up
in the database. Prints p50/p95/p99/max and the lost count as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXTS = [
    "我公司两辆货车在王村检查站被劝返，司机已做核酸，请问怎样办理通行证？",
    "受疫情影响企业资金周转困难，银行一笔500万贷款下月到期，能否协调续贷？",
    "我们厂外地工人返岗难，目前缺工80多人，订单排到6月，能否帮助招工？",
    "我们企业去年没有裁员，能否申请失业保险稳岗返还？钱什么时候到账？",
    "小区附近药店一包口罩卖到100元，明显哄抬价格，请查处。",
    "我公司遇到一些困难，希望有关部门帮助协调解决。",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its live children (the --workers serving processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def tongchou(env, *args) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "tongchou", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if r.returncode:
        raise SystemExit(r.stderr)
    return r.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument(
        "--db",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tongchou_bench"),
    )
    ap.add_argument("--server-threads", type=int, default=16)
    ap.add_argument("--server-workers", type=int, default=1, help="tongchou serve --workers")
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=args.db, TONGCHOU_HOME=str(REPO / "var" / "bench"), LOG_LEVEL="ERROR")
    ensure_database(args.db)
    tongchou(env, "migrate", "-v0")
    tongchou(
        env,
        "shell",
        "-c",
        "from tongchou.accounts.models import User; from tongchou.regions.models import Department;"
        "d=Department.objects.get(region_id='370306', name='周村区人民政府办公室');"
        "User.objects.get_or_create(username='bench_hotline', defaults={'role':'department','department':d})",
    )
    token = tongchou(env, "issue-token", "bench_hotline", "--name", "bench").strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tongchou",
            "serve",
            "--port",
            str(port),
            "--no-migrate",
            "--no-worker",
            "--threads",
            str(args.server_threads),
            *(["--workers", str(args.server_workers)] if args.server_workers != 1 else []),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    run_id = f"{int(time.time())}"
    total = int(args.rate * args.duration)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    acknowledged: list[str] = []
    lock = threading.Lock()

    def one(i: int, due: float) -> None:
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        body = json.dumps(
            {
                "text": TEXTS[i % len(TEXTS)] + f"（压测 {run_id}-{i}）",
                "region": "370306",
                "channel": "hotline",
                "contact_phone": "13900000000",
                "idempotency_key": f"bench-{run_id}-{i}",
            }
        ).encode()
        req = urllib.request.Request(
            base + "/api/appeals/",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, data = r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            status, data = e.code, {}
        except OSError:
            status, data = 0, {}
        took = time.perf_counter() - due
        with lock:
            latencies.append(took)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                acknowledged.append(data["number"])

    # warm-up (imports, connection, jieba) outside the measurement
    for i in range(20):
        one(-1 - i, time.perf_counter())
    latencies.clear()
    statuses.clear()
    acknowledged.clear()

    cpu0 = cpu_seconds(server.pid)
    t0 = time.perf_counter() + 0.5
    with ThreadPoolExecutor(max_workers=64) as pool:
        for i in range(total):
            due = t0 + i / args.rate
            pool.submit(one, i, due)
            # keep the submission loop close to the schedule without piling up futures
            ahead = due - time.perf_counter()
            if ahead > 0.05:
                time.sleep(ahead - 0.05)
    elapsed = time.perf_counter() - t0
    server_cpu = cpu_seconds(server.pid) - cpu0
    load = os.getloadavg()[0]
    server.terminate()
    server.wait(timeout=30)

    import psycopg

    with psycopg.connect(args.db) as conn:
        stored = {
            r[0]
            for r in conn.execute(
                "SELECT number FROM appeals_appeal WHERE number = ANY(%s)", (acknowledged,)
            ).fetchall()
        }
    lost = len(set(acknowledged) - stored)
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else 0.0

    print(
        json.dumps(
            {
                "requests": len(lat),
                "target_rate": args.rate,
                "achieved_rate": round(len(lat) / elapsed, 1),
                "seconds": round(elapsed, 1),
                "statuses": statuses,
                "p50_ms": pct(0.50),
                "p95_ms": pct(0.95),
                "p99_ms": pct(0.99),
                "max_ms": round(1000 * lat[-1], 1) if lat else 0,
                "acknowledged": len(acknowledged),
                "lost": lost,
                "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, len(lat)), 1),
                "server_workers": args.server_workers,
                "load_1min_at_end": round(load, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
