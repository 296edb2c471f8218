"""Enterprise registry API (mounted at /api/enterprises/): list, detail, import, USCC check, size class.

Auth (token or session) comes from tongchou/api.py; each endpoint checks the role, then reads through
the same selectors as the pages, so region scoping is identical.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from tongchou.accounts.access import api_require_roles
from tongchou.accounts.scope import user_region_prefix
from tongchou.core.audit import audit_record, client_ip
from tongchou.core.errors import ValidationFailed
from tongchou.core.masking import mask_phone
from tongchou.enterprises import refdata, selectors
from tongchou.enterprises.importing import enterprises_import
from tongchou.enterprises.size_class import classify
from tongchou.enterprises.uscc import check

router = Router(tags=["enterprises"])
STAFF = ("department", "leader", "admin")
LOGGED_IN = ("enterprise", "department", "leader", "bank", "admin")


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    kind: str
    region_code: str
    region_name: str
    industry_code: str | None
    employees: int | None
    revenue_wan: Decimal | None
    assets_wan: Decimal | None
    registered_on: dt.date | None
    size_class: str
    above_designated_size: bool
    foreign_invested: bool
    exporter: bool
    high_tech: bool
    contact_phone: str  # masked in lists; full in the (audited) detail


class FactOut(Schema):
    name: str
    value_number: Decimal | None
    value_text: str
    source: str
    as_of: dt.date


class EnterpriseDetailOut(EnterpriseOut):
    legal_representative: str
    facts: list[FactOut]


class EnterprisePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EnterpriseOut]


class UsccOut(Schema):
    code: str
    valid: bool
    errors: list[str]
    warnings: list[str]
    region_code: str | None
    entity_type: str | None


class SizeClassOut(Schema):
    size_class: str
    row: str
    reason: str


class RowErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportOut(Schema):
    filename: str
    total_rows: int
    created: int
    updated: int
    facts_written: int
    size_classified: int
    warnings: list[str]
    seconds: float


def _out(e, *, mask: bool = True) -> dict:
    return {
        "id": e.pk,
        "uscc": e.uscc,
        "name": e.name,
        "kind": e.kind,
        "region_code": e.region_id,
        "region_name": e.region.name,
        "industry_code": e.industry_id,
        "employees": e.employees,
        "revenue_wan": e.revenue_wan,
        "assets_wan": e.assets_wan,
        "registered_on": e.registered_on,
        "size_class": e.size_class,
        "above_designated_size": e.above_designated_size,
        "foreign_invested": e.foreign_invested,
        "exporter": e.exporter,
        "high_tech": e.high_tech,
        "contact_phone": mask_phone(e.contact_phone) if mask else e.contact_phone,
    }


@router.get("/", response=EnterprisePage, url_name="enterprise_list", summary="企业列表（按用户区域范围）")
def enterprise_list(
    request: HttpRequest,
    region: str = "",
    section: str = "",
    size_class: str = "",
    kind: str = "",
    q: str = "",
    page: int = 1,
    page_size: int = 50,
):
    api_require_roles(request, *STAFF)
    user = request.auth if hasattr(request.auth, "pk") else request.user
    filters = selectors.EnterpriseFilters.from_mapping(
        {"region": region, "section": section, "size_class": size_class, "kind": kind, "q": q}
    )
    qs = selectors.enterprise_list(user, filters)
    page_size = max(1, min(page_size, 500))
    page = max(1, page)
    start = (page - 1) * page_size
    rows = list(qs[start : start + page_size])
    return {"count": qs.count(), "page": page, "page_size": page_size, "results": [_out(e) for e in rows]}


@router.get(
    "/{int:enterprise_id}",
    response=EnterpriseDetailOut,
    url_name="enterprise_detail",
    summary="企业详情（含联系方式，记审计）",
)
def enterprise_detail(request: HttpRequest, enterprise_id: int):
    api_require_roles(request, *STAFF)
    user = request.auth if hasattr(request.auth, "pk") else request.user
    ent = selectors.enterprise_for_user(user, enterprise_id)
    audit_record(
        actor=user,
        action="enterprises.view_personal_data",
        obj=ent,
        detail={"via": "api", "fields": ["legal_representative", "contact_phone"]},
        ip_address=client_ip(request),
    )
    out = _out(ent, mask=False)
    out["legal_representative"] = ent.legal_representative
    out["facts"] = [
        {
            "name": f.name,
            "value_number": f.value_number,
            "value_text": f.value_text,
            "source": f.source,
            "as_of": f.as_of,
        }
        for f in selectors.latest_facts(ent)
    ]
    return out


@router.post(
    "/import",
    response={200: ImportOut},
    url_name="enterprise_import",
    summary="导入企业名录（.xlsx/.csv）；有任何错误行则整体拒绝，detail 列出行号、列和原因",
)
def enterprise_import(
    request: HttpRequest,
    file: UploadedFile | None = File(None),  # noqa: B008
    fact_source: str = "",
    as_of: dt.date | None = None,
):
    api_require_roles(request, "department", "admin")
    user = request.auth if hasattr(request.auth, "pk") else request.user
    if file is None:
        raise ValidationFailed("请上传名录文件（表单字段 file，.xlsx 或 .csv）", code="import_file_missing")
    dept = getattr(user, "department", None)
    report = enterprises_import(
        source=file,
        filename=file.name,
        actor=user,
        fact_source=fact_source or (dept.name if dept else ""),
        as_of=as_of,
        allowed_region_prefix=user_region_prefix(user),
    )
    d = report.as_dict()
    d.pop("errors", None)
    return d


@router.get("/uscc", response=UsccOut, url_name="uscc_check", summary="校验统一社会信用代码（GB 32100-2015）")
def uscc_check(request: HttpRequest, code: str = ""):
    api_require_roles(request, *LOGGED_IN)
    return check(code, known_region=refdata.known_region_codes()).as_dict()


@router.get(
    "/size-class",
    response=SizeClassOut,
    url_name="size_class",
    summary="判定企业规模（统计上大中小微型企业划分办法2017）",
)
def size_class(
    request: HttpRequest,
    industry: str = "",
    employees: Decimal | None = None,
    revenue_wan: Decimal | None = None,
    assets_wan: Decimal | None = None,
):
    api_require_roles(request, *LOGGED_IN)
    return classify(industry, employees=employees, revenue_wan=revenue_wan, assets_wan=assets_wan).as_dict()
