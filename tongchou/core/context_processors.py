"""What every page knows about the platform itself (not about any domain app)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tongchou.core import clock


def platform(request: HttpRequest) -> dict[str, Any]:
    """``demo_date``: the day a demo install started living on (base.html says so in a banner)."""
    return {"demo_date": clock.demo_date(), "platform_today": clock.today() if clock.demo_date() else None}
