"""Loading the shipped reference data (divisions, departments, industries) into the database.

Runs from a data migration, so every database — the demo's, CI's, production's — has it, and again
from ``tongchou load-reference`` after the CSV files are updated. It upserts and never deletes: an
administrator's edits to departments survive (only missing rows are added).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

REGIONS_CSV = Path(__file__).parent / "data" / "regions.csv"
DIVISIONS_CSV = Path(__file__).parent / "data" / "divisions.csv"
DEPARTMENTS_CSV = Path(__file__).parent / "data" / "departments.csv"
INDUSTRIES_CSV = Path(__file__).resolve().parent.parent / "enterprises" / "data" / "industries.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def load_reference_data(apps: Any = None) -> dict[str, int]:
    """Upsert regions, industries and departments; returns counts of rows seen per file."""
    from tongchou.regions.models import region_prefix

    get = (lambda label: apps.get_model(*label.split("."))) if apps else _live_model
    Region = get("regions.Region")
    Department = get("regions.Department")
    Industry = get("enterprises.Industry")

    regions = _rows(REGIONS_CSV)
    # parents before children: a code's parent is always shorter or ends in more zeros
    for row in sorted(regions, key=lambda r: (len(r["code"]), r["code"])):
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent_id": row.get("parent_code") or None,
                "pinyin": row.get("pinyin", ""),
                "prefix": region_prefix(row["code"], row["level"]),
            },
        )

    industries = _rows(INDUSTRIES_CSV)
    for row in sorted(industries, key=lambda r: (len(r["code"]), r["code"])):
        Industry.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent_id": row.get("parent_code") or None,
            },
        )

    departments = _rows(DEPARTMENTS_CSV)
    for order, row in enumerate(departments):
        aliases = [a.strip() for a in row.get("aliases", "").split("|") if a.strip()]
        Department.objects.get_or_create(
            region_id=row["region_code"],
            name=row["name"],
            defaults={"short_name": row.get("short_name", ""), "aliases": aliases, "sort_order": order},
        )
    return {"regions": len(regions), "industries": len(industries), "departments": len(departments)}


def _live_model(label: str):
    from django.apps import apps as live_apps

    return live_apps.get_model(label)


def national_divisions() -> dict[str, dict[str, str]]:
    """The national GB/T 2260 table (province, city, county; `divisions.csv`), by six-digit code."""
    return {row["code"]: row for row in _rows(DIVISIONS_CSV)}


def division_ensure(code: str):
    """The Region for a six-digit code, added with its parents from the national table when the
    platform's own table (regions.csv: Shandong and Zibo's towns) does not have it yet.

    Only divisions a document actually comes from are added, so region pickers keep the platform's
    own area instead of 3,000 counties. Returns None for a code the national table does not know.
    """
    from tongchou.regions.models import Region, region_prefix

    existing = Region.objects.filter(pk=code).first()
    if existing is not None:
        return existing
    table = national_divisions()
    if code not in table:
        return None
    chain = []
    node: str | None = code
    while node and node in table:
        chain.append(table[node])
        node = table[node]["parent_code"] or None
    region = None
    for row in reversed(chain):
        region, _ = Region.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent_id": row["parent_code"] or None,
                "prefix": region_prefix(row["code"], row["level"]),
            },
        )
    return region
