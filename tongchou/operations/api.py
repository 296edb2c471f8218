"""The operations part of the JSON API (mounted at /api/operations/ by tongchou/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["运行监测"])
