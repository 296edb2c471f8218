"""The `tongchou` entry point as a user meets it: a fresh data folder, --help, migrate, the demo."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]


def _run(args: list[str], home: Path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "TONGCHOU_HOME": str(home), **env}
    environment.pop("DATABASE_URL", None) if "DATABASE_URL" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "tongchou", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_help_lists_every_platform_subcommand_and_migrate(tmp_path):
    result = _run(["--help"], tmp_path)
    assert result.returncode == 0
    ours = [name for name, app in get_commands().items() if app.startswith("tongchou")]
    assert {"demo", "serve"} <= set(ours)
    for name in ours:
        assert f"  {name} " in result.stdout, f"--help does not list {name}"
    assert "migrate" in result.stdout


def test_fresh_home_gets_a_kept_secret_key_and_a_migrated_sqlite_database(tmp_path):
    home = tmp_path / "home"
    result = _run(["migrate", "--no-input", "-v", "0"], home)
    assert result.returncode == 0, result.stderr
    key = (home / "secret_key").read_text()
    assert len(key) >= 40
    assert (home / "tongchou.sqlite3").stat().st_size > 0
    again = _run(["showmigrations", "regions"], home)
    assert "[X] 0002_load_reference_data" in again.stdout
    assert (home / "secret_key").read_text() == key  # kept, not regenerated


def test_unknown_subcommand_fails_with_nonzero_exit(tmp_path):
    result = _run(["no-such-command"], tmp_path)
    assert result.returncode != 0
    assert "no-such-command" in (result.stderr + result.stdout)


@pytest.mark.django_db(transaction=True)
def test_demo_creates_a_working_login_for_every_role(tmp_path, settings, reference_data):
    from django.core.management import call_command
    from django.test import Client

    from tongchou.accounts.roles import Role
    from tongchou.core.demo import DEMO_PASSWORD, demo_accounts_if_enabled

    settings.TONGCHOU_HOME = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", no_serve=True)
    call_command("demo", no_serve=True)  # idempotent: a second run neither fails nor duplicates
    # the demo lives in the seeds' period, for this process and (through the file) every later one
    from tongchou.core import clock

    assert clock.demo_date() == dt.date(2020, 4, 15)
    assert dt.date(2020, 4, 15) <= clock.today() <= dt.date(2020, 4, 16)
    assert (tmp_path / "demo_clock.json").exists()
    accounts = demo_accounts_if_enabled()
    roles = {a["username"]: a for a in accounts}
    from tongchou.accounts.models import User

    # one account per role, each listed once (the second run lists them again, not twice)
    assert {u.role for u in User.objects.filter(username__in=roles)} == set(Role.values)
    assert len(accounts) == len(roles)
    for username in roles:
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
    login_page = Client().get("/accounts/login/").content.decode()
    assert "演示账号" in login_page and "qiye" in login_page
    assert "网格员" in login_page and "wangge" in login_page
