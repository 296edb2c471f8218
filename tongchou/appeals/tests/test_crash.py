"""Killing the server (kill -9) in the middle of a burst of submissions loses no acknowledged order.

A real ``tongchou serve`` process on a free loopback port with a temporary SQLite database (or the
PostgreSQL database named by CRASH_DATABASE_URL) takes submissions from 8 threads through the JSON
API; after 40 acknowledgements (HTTP 201) it is killed with SIGKILL, restarted, and every
acknowledged order must be there — and resubmitting an acknowledged idempotency key must return
the same order, never a second one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["TONGCHOU_HOME"] = str(home)
    env["LOG_LEVEL"] = "ERROR"
    if os.environ.get("CRASH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["CRASH_DATABASE_URL"]
    return env


def _tongchou(env, *args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tongchou", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kw,
    )


def _start(env, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tongchou", "serve", "--port", str(port), "--no-migrate", "--no-worker"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def _post(port: int, token: str, body: dict) -> tuple[int, dict]:
    req = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{port}/api/appeals/",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, {}


def _get(port: int, token: str, number: str) -> tuple[int, dict]:
    req = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{port}/api/appeals/{number}", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, {}


def test_kill_9_mid_burst_loses_no_acknowledged_order(tmp_path):
    env = _env(tmp_path)
    r = _tongchou(env, "migrate", "-v0")
    assert r.returncode == 0, r.stderr
    r = _tongchou(
        env,
        "shell",
        "-c",
        "from tongchou.accounts.models import User; "
        "User.objects.create(username='hotline', role='admin', is_superuser=True, is_staff=True)",
    )
    assert r.returncode == 0, r.stderr
    r = _tongchou(env, "issue-token", "hotline", "--name", "12345")
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip().splitlines()[-1]

    port = _free_port()
    server = _start(env, port)
    acknowledged: dict[str, str] = {}  # idempotency key -> number
    sent: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    killed = threading.Event()

    def fire(worker: int) -> None:
        i = 0
        while not stop.is_set():
            key = f"w{worker}-{i}"
            i += 1
            with lock:
                sent.append(key)
            try:
                status, body = _post(
                    port,
                    token,
                    {
                        "text": f"压力测试诉求 {key}：货车在检查站被劝返，请协调通行",
                        "region": "370306",
                        "channel": "hotline",
                        "contact_phone": "13900000000",
                        "idempotency_key": key,
                    },
                )
            except OSError:
                if killed.is_set():
                    return
                continue
            if status == 201:
                with lock:
                    acknowledged[key] = body["number"]

    threads = [threading.Thread(target=fire, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(server.pid, signal.SIGKILL)  # mid-burst: requests are in flight
    killed.set()
    server.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(acknowledged) >= 40
    assert len(sent) > len(acknowledged)  # some requests were in flight or refused at the kill

    server = _start(env, port)
    try:
        missing = []
        for key, number in sorted(acknowledged.items()):
            status, body = _get(port, token, number)
            if status != 200 or key not in body.get("text", ""):
                missing.append((key, number, status))
        assert not missing, f"acknowledged but lost: {missing[:5]}"
        # replaying acknowledged submissions returns the stored order, never a duplicate
        for key, number in list(acknowledged.items())[:10]:
            status, body = _post(
                port,
                token,
                {
                    "text": f"压力测试诉求 {key}：货车在检查站被劝返，请协调通行",
                    "region": "370306",
                    "idempotency_key": key,
                },
            )
            assert (status, body["number"]) == (200, number)
    finally:
        server.kill()
        server.wait(timeout=10)
