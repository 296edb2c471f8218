"""The shipped reference CSVs read straight from disk, for code that must not touch the database
(`tongchou uscc`, `tongchou generate-enterprises` to a file). Pure: no Django."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
REGIONS_CSV = PACKAGE / "regions" / "data" / "regions.csv"
INDUSTRIES_CSV = PACKAGE / "enterprises" / "data" / "industries.csv"


def _read(path: Path) -> tuple[dict[str, str], ...]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh))


@lru_cache(maxsize=1)
def regions() -> tuple[dict[str, str], ...]:
    return _read(REGIONS_CSV)


@lru_cache(maxsize=1)
def industries() -> tuple[dict[str, str], ...]:
    return _read(INDUSTRIES_CSV)


@lru_cache(maxsize=1)
def known_region_codes() -> frozenset[str]:
    """Six-digit codes of the shipped province, cities and counties (the USCC region part)."""
    return frozenset(r["code"] for r in regions() if len(r["code"]) == 6)


def region_by_code(code: str) -> dict[str, str] | None:
    return next((r for r in regions() if r["code"] == code), None)


def region_prefix(code: str, level: str) -> str:
    return {"province": code[:2], "city": code[:4], "county": code[:6]}.get(level, code)


def regions_under(code: str) -> list[dict[str, str]]:
    """The region itself and every shipped region below it."""
    root = region_by_code(code)
    if root is None:
        return []
    prefix = region_prefix(root["code"], root["level"])
    return [r for r in regions() if r["code"].startswith(prefix)]
