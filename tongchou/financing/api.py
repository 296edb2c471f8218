"""The financing part of the JSON API (mounted at /api/financing/ by tongchou/api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["银企对接"])
