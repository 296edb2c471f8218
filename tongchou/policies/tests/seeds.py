"""Where tests find the seed documents (outside the repository: the user's inputs)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SEEDS_DIR = Path(os.environ.get("TONGCHOU_SEEDS", REPO.parent / "shared" / "seeds"))
MANIFEST = json.loads(
    (REPO / "tongchou" / "policies" / "data" / "seed_manifest.json").read_text(encoding="utf-8")
)

needs_seeds = pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")


def seed_path(slug: str) -> Path:
    name = next(k for k, v in MANIFEST.items() if v == slug)
    return SEEDS_DIR / name
