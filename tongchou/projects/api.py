"""The projects part of the JSON API (mounted at /api/projects/ by tongchou/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["重点项目"])
