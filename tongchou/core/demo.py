"""The demo: a working platform with realistic data, built by each app's own demo step.

Steps are listed in ``settings.TONGCHOU_DEMO_STEPS`` (dotted paths of functions taking ``stdout`` and
returning a one-line Chinese summary); each is idempotent, so running the demo twice neither fails
nor duplicates anything. Steps that create accounts record them with :func:`record_demo_account`;
the list is written to ``$TONGCHOU_HOME/demo_accounts.json``, which the demo prints and a demo
install's login page shows (a production install never has the file, so its login page lists none).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

DEMO_PASSWORD = "Tongchou@2026"  # noqa: S105  (demo only, printed to the user)


def run_demo_steps(stdout: Any) -> list[str]:
    summaries = []
    # the demo sends thousands of notifications; the console sender would drown the summary
    sender_log = logging.getLogger("tongchou.notifications")
    level = sender_log.level
    sender_log.setLevel(logging.WARNING)
    write_demo_marker([])  # the steps list their accounts afresh
    try:
        for path in settings.TONGCHOU_DEMO_STEPS:
            step = import_string(path)
            summary = step(stdout)
            if summary:
                stdout.write(f"  · {summary}\n")
                summaries.append(summary)
    finally:
        sender_log.setLevel(level)
    return summaries


def _marker() -> Path:
    return Path(settings.TONGCHOU_HOME) / "demo_accounts.json"


def write_demo_marker(accounts: list[dict[str, str]]) -> None:
    _marker().write_text(json.dumps(accounts, ensure_ascii=False, indent=1), encoding="utf-8")


def record_demo_account(*, role: str, username: str, who: str, password: str = DEMO_PASSWORD) -> None:
    """Add (or update) one account in the demo's list; ``role`` is the role's Chinese name."""
    entry = {"role": role, "username": username, "password": password, "who": who}
    listed = [a for a in demo_accounts_if_enabled() if a.get("username") != username]
    write_demo_marker([*listed, entry])


def demo_accounts_if_enabled() -> list[dict[str, Any]]:
    path = _marker()
    if not path.exists():
        return []
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
