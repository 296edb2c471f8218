"""Demo accounts: one per role, created by ``tongchou demo`` and listed on its login page.

The list is written to ``$TONGCHOU_HOME/demo_accounts.json`` by the demo; a production install never
has that file, so its login page shows nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

DEMO_PASSWORD = "Tongchou@2026"  # noqa: S105  (demo only, printed to the user)


def _marker() -> Path:
    return Path(settings.TONGCHOU_HOME) / "demo_accounts.json"


def write_demo_marker(accounts: list[dict[str, str]]) -> None:
    _marker().write_text(json.dumps(accounts, ensure_ascii=False, indent=1), encoding="utf-8")


def demo_accounts_if_enabled() -> list[dict[str, Any]]:
    path = _marker()
    if not path.exists():
        return []
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
