"""Building the router from the database: a region's departments, their admin-editable keyword
rules (falling back to the shipped defaults), and — when the policy library is installed — the
texts of the measures each department leads."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError

from tongchou.appeals.routing import (
    CategoryProfile,
    DepartmentProfile,
    Router,
    default_categories,
    default_departments,
    normalise_department_name,
)

log = logging.getLogger(__name__)
CACHE_SECONDS = 60
_cache: dict[str, tuple[float, Router]] = {}
_departments: dict[Any, dict[int, Any]] = {}  # region pk -> {department pk: Department}, same refresh
_lock = threading.Lock()
_refreshing: set[Any] = set()  # region pks being rebuilt in the background
# Set by `tongchou serve`: an expired router keeps answering while a thread rebuilds it. Off by
# default so tests and commands never leave a thread holding a database connection.
background_refresh = False


def auto_dispatch_threshold() -> float:
    return float(getattr(settings, "APPEALS_AUTO_DISPATCH_CONFIDENCE", 0.55))


def auto_dispatch_min_score() -> float:
    return float(getattr(settings, "APPEALS_AUTO_DISPATCH_MIN_SCORE", 3.0))


def default_region_code() -> str:
    return str(getattr(settings, "APPEALS_DEFAULT_REGION", "370306"))


def clear_router_cache() -> None:
    with _lock:
        _cache.clear()
        _departments.clear()


def routing_departments(region: Any) -> list[Any]:
    """Departments that handle appeals of *region*: its own, or the nearest ancestor's that has some
    (a town's appeals go to the district's bureaus)."""
    from tongchou.regions.models import Department

    node = region
    while node is not None:
        depts = list(Department.objects.filter(region=node, is_active=True).order_by("sort_order", "name"))
        if depts:
            return depts
        node = node.parent
    return []


def _defaults_by_name() -> dict[str, DepartmentProfile]:
    out = {}
    for prof in default_departments():
        for n in (prof.name, *prof.aliases):
            out.setdefault(normalise_department_name(n), prof)
    return out


def _measure_department_field(Measure: Any) -> str | None:
    """The Measure M2M to regions.Department (``lead_departments``; ``lead_units`` in older drafts)."""
    for f in Measure._meta.get_fields():
        if (
            f.many_to_many
            and not f.auto_created
            and f.related_model._meta.label_lower == "regions.department"
        ):
            return f.name
    return None


def _measure_texts() -> dict[int, list[str]]:
    """department id -> texts of the measures it leads, if the policy library is there."""
    try:
        Measure = apps.get_model("policies", "Measure")
    except LookupError:
        return {}
    m2m = _measure_department_field(Measure)
    field_names = {f.name for f in Measure._meta.get_fields()}
    text_fields = [f for f in ("title", "text") if f in field_names]
    if m2m is None or not text_fields:
        return {}
    out: dict[int, list[str]] = {}
    try:
        rows = Measure.objects.filter(**{f"{m2m}__isnull": False}).values_list(f"{m2m}__pk", *text_fields)
        for dept_id, *texts in rows:
            out.setdefault(dept_id, []).append(" ".join(str(t or "") for t in texts))
    except DatabaseError:
        log.warning("读取政策措施失败，分办仅使用关键词规则", exc_info=True)
        return {}
    return out


def department_profiles(departments: list[Any]) -> list[DepartmentProfile]:
    from tongchou.appeals.models import RoutingKeyword

    defaults = _defaults_by_name()
    rules: dict[int, dict[str, float]] = {}
    for dept_id, kw, weight in RoutingKeyword.objects.filter(
        department__in=departments, is_active=True
    ).values_list("department_id", "keyword", "weight"):
        rules.setdefault(dept_id, {})[kw] = weight
    measures = _measure_texts()
    profiles = []
    for d in departments:
        names = [d.name, *([d.short_name] if d.short_name else []), *(d.aliases or [])]
        default = next((defaults[n] for n in map(normalise_department_name, names) if n in defaults), None)
        aliases = {normalise_department_name(n) for n in names} | set(default.aliases if default else ())
        keywords = rules.get(d.pk) or (dict(default.keywords) if default else {})
        profiles.append(
            DepartmentProfile(
                name=d.name,
                aliases=tuple(sorted(a for a in aliases if len(a) >= 2)),
                keywords=keywords,
                measure_texts=tuple(measures.get(d.pk, ())),
                key=d.pk,
            )
        )
    return profiles


def categories() -> tuple[CategoryProfile, ...]:
    return default_categories()


def _build(region: Any) -> tuple[Router, list[Any]]:
    depts = routing_departments(region)
    router = (
        Router(department_profiles(depts), categories())
        if depts
        else Router(default_departments(), categories())
    )
    return router, depts


def _store(region: Any, router: Router, depts: list[Any], built_at: float) -> None:
    with _lock:
        _cache[region.pk] = (built_at, router)
        _departments[region.pk] = {d.pk: d for d in depts}


def _refresh_in_background(region: Any) -> None:
    """Rebuild one region's router off the request path (≈ 0.1 s with the policy library's texts:
    paid inline, one request a minute per process waited that long, and those queued behind it)."""
    from django.db import connection

    try:
        built_at = time.monotonic()
        router, depts = _build(region)
        _store(region, router, depts, built_at)
    except Exception:  # the stale router keeps serving; the next expiry tries again
        log.exception("后台刷新分办规则失败")
    finally:
        with _lock:
            _refreshing.discard(region.pk)
        connection.close()


def router_for_region(region: Any) -> Router:
    """The region's router, cached CACHE_SECONDS per process (admin edits reach other processes
    within that). Under `tongchou serve` an expired router is still returned while a background
    thread rebuilds it; only the first use in a process builds inline."""
    key = region.pk
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        if hit and background_refresh:
            if key not in _refreshing:
                _refreshing.add(key)
                threading.Thread(
                    target=_refresh_in_background, args=(region,), name="router-refresh", daemon=True
                ).start()
            return hit[1]
    router, depts = _build(region)
    _store(region, router, depts, now)
    return router


def prepare_for_serving() -> None:
    """`tongchou serve`'s warm-up: load jieba, build the default region's router before the first
    request, and from now on rebuild expired routers in the background."""
    global background_refresh
    from tongchou.appeals.routing import tokens
    from tongchou.regions.models import Region

    tokens("预热分词词典")
    region = Region.objects.select_related("parent").filter(code=default_region_code()).first()
    if region is not None:
        router_for_region(region).route("预热分词词典")
    background_refresh = True


def routing_department(region: Any, pk: int) -> Any:
    """The Department *pk* as loaded with the region's router (no query), or None. Read-only: the
    instance is shared between requests."""
    with _lock:
        return _departments.get(region.pk, {}).get(pk)
