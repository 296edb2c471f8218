"""Appeal submission through the JSON API under sustained load (issue 5).

    .venv/bin/python bench/appeals_submit_bench.py [--rate 200] [--duration 60] [--db URL]

Starts `tongchou serve --workers 2` (waitress) on a free loopback port against PostgreSQL (default
postgres://postgres@127.0.0.1:5432/tongchou_bench, created and migrated here), issues an API token
for a 12345-hotline account (the seed policy documents are ingested first, so the router scores
the measures' texts as in production), then sends `rate` submissions per second for `duration` seconds,
open loop, from one asyncio client over `--connections` keep-alive connections: request i is due at
t0 + i/rate and its latency counts from that moment, so a slow server cannot hide queueing (no
coordinated omission). Bounded: at most rate*duration requests, loopback only. Afterwards every acknowledged (201) number is looked up
in the database. Prints p50/p95/p99/max and the lost count as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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


def _body(run_id: str, i: int) -> bytes:
    return json.dumps(
        {
            "text": TEXTS[i % len(TEXTS)] + f"（压测 {run_id}-{i}）",
            "region": "370306",
            "channel": "hotline",
            "contact_phone": "13900000000",
            "idempotency_key": f"bench-{run_id}-{i}",
        },
        ensure_ascii=False,
    ).encode()


async def _load(
    port: int, token: str, run_id: str, *, rate: float, total: int, connections: int
) -> tuple[list[float], dict[int, int], list[str], float]:
    """Open loop: request i is due at t0 + i/rate whatever happened before, and its latency counts
    from that moment (a request waiting for a free connection is counted as waiting), so a slow
    server cannot hide queueing (no coordinated omission). asyncio over keep-alive HTTP/1.1
    connections keeps the client's own CPU small: it shares the machine with the server."""
    loop = asyncio.get_running_loop()
    free: asyncio.Queue = asyncio.Queue()
    for _ in range(connections):
        free.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    acknowledged: list[str] = []
    head = (
        f"POST /api/appeals/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nContent-Length: {n}\r\n\r\n"
    )

    async def one(i: int, due: float) -> None:
        reader, writer = await free.get()
        body = _body(run_id, i)
        status, data = 0, b""
        try:
            writer.write(head.replace("{n}", str(len(body))).encode() + body)
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            data = await reader.readexactly(length)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        free.put_nowait((reader, writer))
        latencies.append(loop.time() - due)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 201:
            acknowledged.append(json.loads(data)["number"])

    t0 = loop.time() + 0.2
    tasks = []
    for i in range(total):
        due = t0 + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - t0
    while not free.empty():
        free.get_nowait()[1].close()
    return latencies, statuses, acknowledged, elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument(
        "--db",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tongchou_bench"),
    )
    ap.add_argument("--server-threads", type=int, default=8, help="tongchou serve --threads (its default)")
    ap.add_argument("--server-workers", type=int, default=2, help="tongchou serve --workers")
    ap.add_argument(
        "--connections", type=int, default=32, help="keep-alive connections the client spreads requests over"
    )
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=args.db, TONGCHOU_HOME=str(REPO / "var" / "bench"), LOG_LEVEL="ERROR")
    ensure_database(args.db)
    tongchou(env, "migrate", "-v0")
    # the seed policy documents, as in production: routers then score the measures' texts too
    tongchou(
        env,
        "shell",
        "-c",
        "from django.conf import settings; from tongchou.policies.services import seed_documents_ingest;"
        "seed_documents_ingest(settings.SEEDS_DIR)",
    )
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
    warm = asyncio.run(_load(port, token, f"{run_id}w", rate=50, total=50, connections=args.connections))
    cpu0 = cpu_seconds(server.pid)
    result = asyncio.run(
        _load(port, token, run_id, rate=args.rate, total=total, connections=args.connections)
    )
    server_cpu = cpu_seconds(server.pid) - cpu0
    load = os.getloadavg()[0]
    server.terminate()
    server.wait(timeout=30)
    latencies, statuses, acknowledged, elapsed = result
    del warm

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
    client_cpu = time.process_time()

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
                "connections": args.connections,
                "client_cpu_s": round(client_cpu, 1),
                "load_1min_at_end": round(load, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
