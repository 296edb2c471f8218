"""The supervision part of the JSON API (mounted at /api/supervision/ by tongchou/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["督查督办"])
