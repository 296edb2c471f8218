"""Demo step of the projects app: its part of the one story, dated around the demo clock's day."""

from __future__ import annotations

from typing import Any


def seed(stdout: Any) -> str:
    return ""
