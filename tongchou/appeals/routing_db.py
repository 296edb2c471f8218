"""Building the router from the database: a region's departments, their admin-editable keyword
rules (falling back to the shipped defaults), and the texts of the policy measures each department
leads."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

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
from tongchou.core.cache import process_cache

log = logging.getLogger(__name__)
CACHE_SECONDS = 60
# region pk -> (router, {department pk: Department}). Cleared when keyword rules or departments change
# in this process; other processes' edits arrive within CACHE_SECONDS.
_routers = process_cache(
    "appeals.routers", ttl=CACHE_SECONDS, invalidated_by=["appeals.RoutingKeyword", "regions.Department"]
)
_lock = threading.Lock()
_refreshing: set[Any] = set()  # region pks being rebuilt in the background
# Set by `tongchou serve`: an expired router keeps answering while a thread rebuilds it. Off by
# default so tests and commands never leave a thread holding a database connection.
background_refresh = False


def auto_dispatch_threshold() -> float:
    return float(settings.APPEALS_AUTO_DISPATCH_CONFIDENCE)


def auto_dispatch_min_score() -> float:
    return float(settings.APPEALS_AUTO_DISPATCH_MIN_SCORE)


def default_region_code() -> str:
    return str(settings.APPEALS_DEFAULT_REGION)


def clear_router_cache() -> None:
    _routers.clear()


def routing_departments(region: Any) -> list[Any]:
    """Departments that handle appeals of *region*: its own, or the nearest ancestor's that has some
    (a town's appeals go to the district's bureaus). One query."""
    from tongchou.regions.models import Department

    codes = region.ancestor_codes()
    by_region: dict[str, list[Any]] = {}
    for dept in Department.objects.filter(region_id__in=codes, is_active=True).order_by("sort_order", "name"):
        by_region.setdefault(dept.region_id, []).append(dept)
    return next((by_region[c] for c in codes if c in by_region), [])


def _defaults_by_name() -> dict[str, DepartmentProfile]:
    out = {}
    for prof in default_departments():
        for n in (prof.name, *prof.aliases):
            out.setdefault(normalise_department_name(n), prof)
    return out


def _measure_texts() -> dict[int, list[str]]:
    """department id -> texts (title and text) of the policy measures it leads."""
    from tongchou.policies.models import Measure

    out: dict[int, list[str]] = {}
    try:
        rows = Measure.objects.filter(lead_departments__isnull=False).values_list(
            "lead_departments__pk", "title", "text"
        )
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


def _store(
    region: Any, router: Router, depts: list[Any], built_at: float, generation: int | None = None
) -> None:
    _routers.put(region.pk, (router, {d.pk: d for d in depts}), generation=generation, built_at=built_at)


def _refresh_in_background(region: Any) -> None:
    """Rebuild one region's router off the request path (≈ 0.1 s with the policy library's texts:
    paid inline, one request a minute per process waited that long, and those queued behind it)."""
    from django.db import connection

    try:
        built_at, generation = time.monotonic(), _routers.generation
        router, depts = _build(region)
        _store(region, router, depts, built_at, generation)
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
    hit = _routers.peek(key)
    if hit is not None:
        (router, _depts), age = hit
        if age < CACHE_SECONDS:
            return router
        if background_refresh:
            with _lock:
                if key not in _refreshing:
                    _refreshing.add(key)
                    threading.Thread(
                        target=_refresh_in_background, args=(region,), name="router-refresh", daemon=True
                    ).start()
            return router
    built_at, generation = time.monotonic(), _routers.generation
    router, depts = _build(region)
    _store(region, router, depts, built_at, generation)
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
    hit = _routers.peek(region.pk)
    return hit[0][1].get(pk) if hit is not None else None
