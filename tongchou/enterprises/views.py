"""Enterprise registry pages: thin views over selectors (reads) and importing/exporting (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tongchou.accounts.access import require_roles
from tongchou.accounts.roles import role_of
from tongchou.accounts.scope import user_region_prefix
from tongchou.core import clock
from tongchou.core.audit import audit_record, client_ip
from tongchou.core.errors import TongchouError
from tongchou.core.masking import mask_phone
from tongchou.enterprises import exporting, selectors
from tongchou.enterprises.forms import ImportForm
from tongchou.enterprises.importing import enterprises_import
from tongchou.enterprises.models import EnterpriseKind, Industry, SizeClass

STAFF = ("department", "leader", "admin")
IMPORTERS = ("department", "admin")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter_context(request: HttpRequest, filters: selectors.EnterpriseFilters) -> dict:
    return {
        "filters": filters,
        "regions": selectors.regions_for_filter(request.user),
        "sections": Industry.objects.filter(level="section").order_by("code"),
        "size_classes": [*SizeClass.choices, ("unknown", _("未判定"))],
        "kinds": EnterpriseKind.choices,
        "querystring": request.GET.urlencode(),
    }


@require_roles(*STAFF)
def enterprise_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.EnterpriseFilters.from_mapping(request.GET)
    qs = selectors.enterprise_list(request.user, filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for e in page:
        e.masked_phone = mask_phone(e.contact_phone)
    ctx = _filter_context(request, filters)
    ctx.update({"page": page, "can_import": role_of(request.user) in IMPORTERS})
    return render(request, "enterprises/list.html", ctx)


@require_roles(*STAFF)
def enterprise_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.EnterpriseFilters.from_mapping(request.GET)
    qs = selectors.enterprise_list(request.user, filters)
    count = qs.count()
    data = exporting.export_rows(selectors.export_dicts(qs), mask=True)
    audit_record(
        actor=request.user,
        action="enterprises.export",
        object_type="enterprises.enterprise",
        detail={"filters": request.GET.dict(), "rows": count, "phones": "masked"},
        ip_address=client_ip(request),
    )
    resp = HttpResponse(data, content_type=XLSX)
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    resp["Content-Disposition"] = f"attachment; filename=enterprises-{stamp}.xlsx"
    return resp


@require_roles(*STAFF)
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    ent = selectors.enterprise_for_user(request.user, enterprise_id)
    reveal = request.GET.get("reveal") == "1"
    if reveal:
        audit_record(
            actor=request.user,
            action="enterprises.view_personal_data",
            obj=ent,
            detail={"fields": ["legal_representative", "contact_phone"]},
            ip_address=client_ip(request),
        )
    return render(
        request,
        "enterprises/detail.html",
        {
            "e": ent,
            "facts": selectors.latest_facts(ent),
            "reveal": reveal,
            "phone": ent.contact_phone if reveal else mask_phone(ent.contact_phone),
            "legal_rep": ent.legal_representative if reveal else mask_name(ent.legal_representative),
            "show_reveal": not reveal and bool(ent.contact_phone or ent.legal_representative),
        },
    )


@require_roles("enterprise")
def my_enterprise(request: HttpRequest) -> HttpResponse:
    ent = selectors.my_enterprise(request.user)
    facts = selectors.latest_facts(ent) if ent else []
    return render(
        request,
        "enterprises/mine.html",
        {"e": ent, "facts": facts, "phone": ent.contact_phone if ent else ""},
    )


@require_roles(*IMPORTERS)
def enterprise_import(request: HttpRequest) -> HttpResponse:
    report = None
    error = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            report = enterprises_import(
                source=f,
                filename=f.name,
                actor=request.user,
                fact_source=form.cleaned_data.get("fact_source") or _default_source(request.user),
                as_of=form.cleaned_data["as_of"],
                allowed_region_prefix=user_region_prefix(request.user),
            )
        except TongchouError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 户，更新 %(u)d 户，写入部门数据 %(f)d 项。")
                % {"c": report.created, "u": report.updated, "f": report.facts_written},
            )
            if not report.warnings:
                return redirect("enterprises:list")
    return render(request, "enterprises/import.html", {"form": form, "report": report, "error": error})


def mask_name(name: str) -> str:
    """王建华 -> 王**: a person's name is personal data too."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def _default_source(user) -> str:
    dept = getattr(user, "department", None)
    return dept.name if dept else ""


@require_roles(*STAFF)
def import_template(request: HttpRequest) -> HttpResponse:
    resp = HttpResponse(exporting.template_workbook(), content_type=XLSX)
    resp["Content-Disposition"] = "attachment; filename=enterprise-import-template.xlsx"
    return resp
