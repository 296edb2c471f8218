"""The epidemic part of the JSON API (mounted at /api/epidemic/ by tongchou/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["疫情防控"])
