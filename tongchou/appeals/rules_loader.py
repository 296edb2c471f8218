"""Loading the shipped keyword routing rules (data/routing_rules.yaml) into RoutingKeyword rows for
every department whose name or alias matches. Adds missing rows only: administrators' edits and
deletions of weights survive a reload (a deleted keyword comes back — deactivate it instead)."""

from __future__ import annotations

from typing import Any

from tongchou.appeals.routing import default_departments, normalise_department_name


def load_routing_rules(apps: Any = None) -> int:
    get = (lambda label: apps.get_model(*label.split("."))) if apps else None
    if get:
        Department = get("regions.Department")
        RoutingKeyword = get("appeals.RoutingKeyword")
    else:
        from tongchou.appeals.models import RoutingKeyword
        from tongchou.regions.models import Department

    profiles = {}
    for prof in default_departments():
        for n in (prof.name, *prof.aliases):
            profiles.setdefault(normalise_department_name(n), prof)
    existing = set(RoutingKeyword.objects.values_list("department_id", "keyword"))
    new = []
    for d in Department.objects.all():
        names = [d.name, d.short_name or "", *(d.aliases or [])]
        prof = next((profiles[n] for n in map(normalise_department_name, names) if n in profiles), None)
        if prof is None:
            continue
        for kw, weight in prof.keywords.items():
            if (d.pk, kw) not in existing:
                new.append(RoutingKeyword(department_id=d.pk, keyword=kw, weight=weight))
                existing.add((d.pk, kw))
    RoutingKeyword.objects.bulk_create(new, batch_size=500)
    return len(new)
