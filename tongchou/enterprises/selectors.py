"""Reads of the enterprise registry, always through the user's region scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from tongchou.accounts.roles import Role, role_of
from tongchou.accounts.scope import filter_by_region, user_region_prefix
from tongchou.core.errors import NotFound
from tongchou.enterprises.models import Enterprise
from tongchou.regions.models import Region

STAFF = {Role.DEPARTMENT, Role.LEADER, Role.ADMIN}


@dataclass
class EnterpriseFilters:
    region: str = ""  # region code: that region and everything below it
    section: str = ""  # industry section letter A-T
    size_class: str = ""
    kind: str = ""
    q: str = ""  # name fragment or USCC (prefix)

    @classmethod
    def from_mapping(cls, data: Any) -> EnterpriseFilters:
        get = data.get
        return cls(
            region=(get("region") or "").strip(),
            section=(get("section") or "").strip().upper()[:1],
            size_class=(get("size_class") or "").strip(),
            kind=(get("kind") or "").strip(),
            q=(get("q") or "").strip(),
        )


def enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    """Every enterprise the user may see: staff their region subtree, an enterprise user its own."""
    role = role_of(user)
    qs = Enterprise.objects.all()
    if role == Role.ENTERPRISE:
        return qs.filter(pk=user.enterprise_id) if user.enterprise_id else qs.none()
    if role not in STAFF:
        return qs.none()
    return filter_by_region(qs, user)


def enterprise_list(user: Any, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    return apply_filters(enterprises_visible_to(user), filters)


def apply_filters(qs: QuerySet[Enterprise], filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    qs = qs.select_related("region", "industry")
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        prefix = region.prefix if region else filters.region
        qs = qs.filter(region__code__startswith=prefix)
    if filters.section:
        qs = qs.filter(industry__code__startswith=filters.section)
    if filters.size_class:
        qs = qs.filter(size_class="" if filters.size_class == "unknown" else filters.size_class)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        q = filters.q
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper().replace(" ", "")))
    return qs.order_by("name", "id")


def enterprise_for_user(user: Any, enterprise_id: int) -> Enterprise:
    """One enterprise if the user may see it; NotFound for missing and not-yours alike."""
    ent = (
        enterprises_visible_to(user)
        .select_related("region", "region__parent", "industry")
        .filter(pk=enterprise_id)
        .first()
    )
    if ent is None:
        raise NotFound("未找到该企业，或您无权查看。")
    return ent


def my_enterprise(user: Any) -> Enterprise | None:
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        return None
    return (
        Enterprise.objects.select_related("region", "region__parent", "industry")
        .filter(pk=user.enterprise_id)
        .first()
    )


def latest_facts(enterprise: Enterprise, limit: int = 100) -> list:
    """The newest value of each fact name (older dated values are history): the facts app's reader."""
    from tongchou.facts.selectors import latest_facts as newest

    return newest(enterprise, limit)


def regions_for_filter(user: Any) -> list[Region]:
    """The regions a staff user may filter by (their subtree), for the filter drop-down."""
    prefix = user_region_prefix(user)
    qs = Region.objects.exclude(level="province")
    if prefix is not None:
        qs = qs.filter(code__startswith=prefix)
    return list(qs.order_by("code"))


def export_dicts(qs: QuerySet[Enterprise]):
    """Rows for exporting.export_rows, streamed."""
    for e in qs.values(
        "uscc",
        "name",
        "kind",
        "region_id",
        "region__name",
        "industry_id",
        "industry__name",
        "employees",
        "revenue_wan",
        "assets_wan",
        "size_class",
        "registered_on",
        "above_designated_size",
        "foreign_invested",
        "exporter",
        "high_tech",
        "legal_representative",
        "contact_phone",
    ).iterator(chunk_size=2000):
        e["region_code"] = e.pop("region_id")
        e["region_name"] = e.pop("region__name")
        e["industry_code"] = e.pop("industry_id")
        e["industry_name"] = e.pop("industry__name")
        yield e
