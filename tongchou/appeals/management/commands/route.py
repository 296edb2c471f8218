from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tongchou.appeals.routing import (
    DepartmentProfile,
    Router,
    default_categories,
    default_departments,
    normalise_department_name,
)


def _profiles_from_reference_file(code: str) -> list[DepartmentProfile]:
    """No database: the region's departments from the shipped department list (regions/data), with
    the default keyword rules matched by name or alias — so the names printed are still the list's."""
    from tongchou.regions.reference import DEPARTMENTS_CSV, _rows

    defaults = {}
    for prof in default_departments():
        for n in (prof.name, *prof.aliases):
            defaults.setdefault(normalise_department_name(n), prof)
    profiles = []
    for row in _rows(DEPARTMENTS_CSV):
        if row.get("region_code") != code:
            continue
        names = [row["name"], row.get("short_name", ""), *row.get("aliases", "").split("|")]
        prof = next(
            (defaults[n] for n in map(normalise_department_name, filter(None, names)) if n in defaults), None
        )
        if prof is not None:
            profiles.append(DepartmentProfile(row["name"], prof.aliases, prof.keywords))
    return profiles or list(default_departments())


class Command(BaseCommand):
    help = "为诉求文本推荐承办部门和类别 / Suggest the handling department and category for an appeal text."

    def add_arguments(self, parser):
        parser.add_argument("text", help="诉求内容")
        parser.add_argument("--region", default=None, help="区划代码（默认 370306 周村区）")
        parser.add_argument("--limit", type=int, default=5, help="候选部门数（至少 3）")

    def handle(self, *args, text: str, region: str | None, limit: int, **options):
        from tongchou.appeals.routing_db import default_region_code, router_for_region

        code = region or default_region_code()
        router = None
        try:
            from tongchou.regions.models import Region

            reg = Region.objects.filter(code=code).first()
            if reg is None and region:
                raise CommandError(f"区划代码“{region}”不存在")
            if reg is not None:
                router = router_for_region(reg)
        except DatabaseError:
            router = None  # no database: the shipped keyword rules still answer
        if router is None:
            router = Router(_profiles_from_reference_file(code), default_categories())
        result = router.route(text, limit=max(limit, 3))
        best = result.best
        out = {
            "department": best.department if best else result.candidates[0].department,
            "category": result.category,
            "confidence": result.confidence,
            "candidates": [
                {"department": c.department, "score": c.score} for c in result.candidates[: max(limit, 3)]
            ],
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False))
