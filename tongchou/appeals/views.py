"""Web pages for appeals. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongchou.accounts.access import public, require_roles
from tongchou.accounts.roles import Role, role_of
from tongchou.accounts.scope import filter_by_region, user_region_prefix
from tongchou.appeals import figures as fig
from tongchou.appeals import permissions, selectors, services
from tongchou.appeals.forms import AppealForm, BatchForm, LookupForm, PublicAppealForm, RateForm
from tongchou.appeals.models import Appeal, Batch, Category, Channel
from tongchou.appeals.routing_db import routing_departments
from tongchou.appeals.states import (
    ACTION_LABELS,
    OPEN_STATUSES,
    STATUS_LABELS,
    WORKFLOW,
    Action,
    Status,
)
from tongchou.core import clock
from tongchou.core.audit import client_ip
from tongchou.core.errors import NotFound, TongchouError
from tongchou.core.workflow.engine import allowed_actions as workflow_allowed_actions

HANDLING = ("enterprise", "department", "leader", "admin")
STAFF = ("department", "leader", "admin")
DISPATCHERS = ("leader", "admin")


class CappedPaginator(Paginator):
    """Counts at most CAP rows: an exact total over a million orders costs more than the page."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP + 1].count()


def _client_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return "web-public"


# --- lists and submission ----------------------------------------------------------------------


@require_roles(*HANDLING)
def index(request: HttpRequest) -> HttpResponse:
    qs = selectors.appeals_for_user(request.user)
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    q = request.GET.get("q", "").strip()
    if status == "open":
        qs = qs.filter(status__in=list(OPEN_STATUSES))
    elif status in Status.__members__.values() or status in [s.value for s in Status]:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(text__icontains=q))
    page = CappedPaginator(qs.order_by("-submitted_at", "-pk"), 20).get_page(request.GET.get("page"))
    now = clock.now()
    return render(
        request,
        "appeals/index.html",
        {
            "page": page,
            "now": now,
            "statuses": [(s.value, STATUS_LABELS[s]) for s in Status],
            "categories": Category.choices,
            "status": status,
            "category": category,
            "q": q,
            "role": role_of(request.user),
        },
    )


@require_roles("enterprise")
def new(request: HttpRequest) -> HttpResponse:
    ent = request.user.enterprise
    if request.method == "POST":
        form = AppealForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                appeal, _created = services.appeal_submit(
                    text=form.cleaned_data["text"],
                    region=ent.region if ent else request.user.region,
                    channel=Channel.WEB,
                    submitter=request.user,
                    enterprise=ent,
                    contact_name=form.cleaned_data["contact_name"] or request.user.display_name,
                    contact_phone=form.cleaned_data["contact_phone"]
                    or request.user.phone
                    or getattr(ent, "contact_phone", ""),
                    category=form.cleaned_data["category"],
                    client=_client_key(request),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    attachments=form.cleaned_data["attachments"],
                )
            except TongchouError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("诉求已提交，编号 %(n)s。承办部门将在两个工作日内与您联系。") % {"n": appeal.number},
                )
                return redirect("appeals:detail", number=appeal.number)
    else:
        form = AppealForm(
            initial={
                "idempotency_key": uuid.uuid4().hex,
                "contact_phone": request.user.phone or getattr(ent, "contact_phone", ""),
                "contact_name": request.user.display_name,
            }
        )
    return render(request, "appeals/new.html", {"form": form, "enterprise": ent})


def _public_regions():
    from tongchou.regions.models import Region

    return Region.objects.filter(level="county", code__startswith="3703").order_by("code")


@public
def public_new(request: HttpRequest) -> HttpResponse:
    regions = _public_regions()
    if request.method == "POST":
        form = PublicAppealForm(request.POST, request.FILES, regions=regions)
        if form.is_valid():
            try:
                appeal, _created = services.appeal_submit(
                    text=form.cleaned_data["text"],
                    region=regions.get(code=form.cleaned_data["region"]),
                    channel=Channel.PUBLIC,
                    contact_name=form.cleaned_data["contact_name"],
                    contact_phone=form.cleaned_data["contact_phone"],
                    category=form.cleaned_data["category"],
                    client="web-public",
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    attachments=form.cleaned_data["attachments"],
                )
            except TongchouError as exc:
                form.add_error(None, exc.message)
            else:
                return render(request, "appeals/public_done.html", {"appeal": appeal}, status=201)
    else:
        form = PublicAppealForm(
            initial={"idempotency_key": uuid.uuid4().hex, "region": "370306"}, regions=regions
        )
    return render(request, "appeals/public_new.html", {"form": form})


@public
def lookup(request: HttpRequest) -> HttpResponse:
    """The public's own appeal by number + phone; rating and reopening happen here too."""
    appeal = None
    rate_form = None
    data = request.POST if request.method == "POST" else (request.GET if "number" in request.GET else None)
    form = LookupForm(data)
    if data is not None and form.is_valid():
        try:
            appeal = selectors.appeal_for_public(form.cleaned_data["number"], form.cleaned_data["phone"])
        except NotFound as exc:
            form.add_error(None, exc.message)
        if appeal is not None and request.method == "POST" and request.POST.get("do") in ("rate", "reopen"):
            try:
                if request.POST["do"] == "rate":
                    rate_form = RateForm(request.POST)
                    if rate_form.is_valid():
                        appeal = services.appeal_rate(
                            appeal=appeal,
                            actor=None,
                            rating=rate_form.cleaned_data["rating"],
                            comment=rate_form.cleaned_data["comment"],
                            public_verified=True,
                        )
                        messages.success(request, _("感谢您的评价。"))
                else:
                    appeal = services.appeal_reopen(
                        appeal=appeal, actor=None, reason=request.POST.get("reason", ""), public_verified=True
                    )
                    messages.success(request, _("已重新交办，承办部门将再次与您联系。"))
            except TongchouError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "appeals/lookup.html",
        {
            "form": form,
            "appeal": appeal,
            "events": appeal.events.all() if appeal else [],
            "rate_form": rate_form or RateForm(),
            "phone_masked": selectors.contact_phone_display(None, appeal) if appeal else "",
        },
    )


# --- one appeal ----------------------------------------------------------------------------------


@require_roles(*HANDLING)
def detail(request: HttpRequest, number: str) -> HttpResponse:
    appeal = selectors.appeal_for_user(request.user, number)
    user = request.user
    actions = [Action(a) for a in workflow_allowed_actions(WORKFLOW, appeal, user)]
    departments = (
        routing_departments(appeal.region) if (set(actions) & {Action.DISPATCH, Action.TRANSFER}) else []
    )
    from tongchou.appeals.eligibility import eligibility_for_appeal

    handler_view = permissions.is_handler(user, appeal) or permissions.is_dispatcher(user, appeal)
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "events": appeal.events.select_related("actor", "from_department", "to_department"),
            "attachments": appeal.attachments.all(),
            "actions": [(a.value, ACTION_LABELS[a]) for a in actions],
            "departments": departments,
            "phone_masked": selectors.contact_phone_display(user, appeal),
            "may_see_phone": permissions.may_see_phone(user, appeal),
            "eligibility": eligibility_for_appeal(appeal) if handler_view else [],
            # the routing scores are the dispatchers' working material, not the submitter's
            "routing": appeal.routing if handler_view else {},
            "rate_form": RateForm(),
            "now": clock.now(),
            "duplicates": appeal.duplicates.all(),
            "may_attach": services.may_attach(user, appeal)
            and appeal.status not in (Status.CLOSED, Status.MERGED),
        },
    )


@require_roles(*HANDLING)
@require_POST
def attach(request: HttpRequest, number: str) -> HttpResponse:
    appeal = selectors.appeal_for_user(request.user, number)
    try:
        saved = services.appeal_attach(
            appeal=appeal, actor=request.user, files=request.FILES.getlist("attachments")
        )
    except TongchouError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上传 %(n)d 个附件。") % {"n": len(saved)})
    return redirect("appeals:detail", number=appeal.number)


@require_roles(*HANDLING)
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    appeal = selectors.appeal_for_user(request.user, number)
    p = request.POST
    user = request.user
    from tongchou.regions.models import Department

    def dept():
        try:
            return Department.objects.get(pk=int(p.get("department", "0")))
        except (ValueError, Department.DoesNotExist):
            return None

    try:
        if action == Action.DISPATCH:
            services.appeal_dispatch(appeal=appeal, department=dept(), actor=user, reason=p.get("reason", ""))
        elif action == Action.ACCEPT:
            services.appeal_accept(appeal=appeal, actor=user, note=p.get("reason", ""))
        elif action == Action.ANSWER:
            services.appeal_answer(appeal=appeal, actor=user, answer=p.get("answer", ""))
        elif action == Action.RATE:
            services.appeal_rate(
                appeal=appeal, actor=user, rating=p.get("rating", ""), comment=p.get("comment", "")
            )
        elif action == Action.CLOSE:
            services.appeal_close(appeal=appeal, actor=user, reason=p.get("reason", ""))
        elif action == Action.TRANSFER:
            services.appeal_transfer(appeal=appeal, actor=user, department=dept(), reason=p.get("reason", ""))
        elif action == Action.RETURN:
            services.appeal_return(appeal=appeal, actor=user, reason=p.get("reason", ""))
        elif action == Action.MERGE:
            into = selectors.appeal_for_user(user, p.get("into", "").strip())
            services.appeal_merge(appeal=appeal, into=into, actor=user, reason=p.get("reason", ""))
        elif action == Action.REOPEN:
            services.appeal_reopen(appeal=appeal, actor=user, reason=p.get("reason", ""))
        else:
            raise Http404
    except TongchouError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(a)s。") % {"a": ACTION_LABELS[Action(action)]})
    # after a transfer/return the department may no longer see the order
    if not selectors.appeals_for_user(user).filter(pk=appeal.pk).exists():
        return redirect("appeals:index")
    return redirect("appeals:detail", number=appeal.number)


@require_roles(*STAFF)
@require_POST
def phone(request: HttpRequest, number: str) -> HttpResponse:
    """The handler's 'show full number' button (audited)."""
    appeal = selectors.appeal_for_user(request.user, number)
    value = selectors.contact_phone_unmasked(request.user, appeal, ip=client_ip(request))
    return HttpResponse(format_html('<a href="tel:{}" class="num">{}</a>', value, value))


@require_roles(*HANDLING)
def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    return selectors.attachment_download(selectors.appeal_for_user(request.user, number), pk)


# --- figures, ledger, batches, common problems ---------------------------------------------------


def _period(request: HttpRequest):
    from datetime import date

    today = clock.today()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - timedelta(days=29)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    if end < start:
        start, end = end, start
    return start, end


@require_roles(*STAFF)
def figures(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    data = fig.figures(request.user, start, end)
    return render(request, "appeals/figures.html", {"data": data, "start": start, "end": end})


@require_roles(*STAFF)
def ledger(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    qs = fig.in_period(selectors.appeals_for_user(request.user), start, end)
    category = request.GET.get("category", "")
    if category:
        qs = qs.filter(category=category)
    page = Paginator(qs.order_by("-submitted_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/ledger.html",
        {
            "page": page,
            "start": start,
            "end": end,
            "category": category,
            "categories": Category.choices,
            "now": clock.now(),
        },
    )


def _xlsx_response(wb, filename: str) -> HttpResponse:
    from io import BytesIO
    from urllib.parse import quote

    buf = BytesIO()
    wb.save(buf)
    resp = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


@require_roles(*STAFF)
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    qs = fig.in_period(selectors.appeals_for_user(request.user), start, end)
    if request.GET.get("category"):
        qs = qs.filter(category=request.GET["category"])
    wb = fig.ledger_workbook(qs, title=f"诉求台账{start:%Y%m%d}-{end:%Y%m%d}")
    return _xlsx_response(wb, f"诉求台账_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


def _batch_region(user):
    from tongchou.regions.models import Region

    if role_of(user) == Role.ADMIN and not user.region_id:
        return Region.objects.filter(code="370300").first() or Region.objects.order_by("code").first()
    return user.region


@require_roles(*DISPATCHERS)
def batches(request: HttpRequest) -> HttpResponse:
    region = _batch_region(request.user)
    form = BatchForm(
        request.POST or None, initial={"start": clock.today() - timedelta(days=6), "end": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        qs = fig.in_period(selectors.appeals_for_user(request.user), cd["start"], cd["end"]).filter(
            batch__isnull=True
        )
        if cd["category"]:
            qs = qs.filter(category=cd["category"])
        if cd["only_open"]:
            qs = qs.filter(status__in=list(OPEN_STATUSES))
        try:
            batch = services.batch_issue(
                region=region,
                appeals=list(qs),
                actor=request.user,
                title=cd["title"],
                addressee=cd["addressee"],
            )
        except TongchouError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("已生成第%(n)s批，共 %(c)s 件。") % {"n": batch.number, "c": batch.appeals.count()}
            )
            return redirect("appeals:batches")
    rows = filter_by_region(
        Batch.objects.select_related("region", "created_by").order_by("-created_at"), request.user
    )
    from django.db.models import Count

    rows = rows.annotate(n=Count("appeals"))[:100]
    return render(request, "appeals/batches.html", {"form": form, "batches": rows, "region": region})


@require_roles(*DISPATCHERS)
def batch_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    prefix = user_region_prefix(request.user)
    batch = Batch.objects.select_related("region").filter(pk=pk).first()
    if batch is None or (prefix is not None and not batch.region_id.startswith(prefix)):
        raise Http404
    qs = selectors.appeals_for_user(request.user).filter(batch=batch)
    wb = fig.ledger_workbook(qs, title=f"第{batch.number}批")
    return _xlsx_response(wb, f"{batch.region.name}诉求_第{batch.number}批.xlsx")


@require_roles(*DISPATCHERS)
def common(request: HttpRequest) -> HttpResponse:
    from tongchou.appeals.similarity import group_similar

    limit = 2000
    open_qs = (
        selectors.appeals_for_user(request.user)
        .filter(status__in=list(OPEN_STATUSES))
        .order_by("-submitted_at")[:limit]
    )
    appeals = {a.pk: a for a in open_qs}
    groups = []
    for g in group_similar([(pk, a.text) for pk, a in appeals.items()]):
        members = [appeals[pk] for pk in g.members]
        groups.append(
            {
                "key_terms": g.key_terms,
                "count": len(members),
                "enterprises": sorted({a.enterprise.name for a in members if a.enterprise_id}),
                "departments": sorted({a.department.name for a in members if a.department_id}),
                "appeals": members,
            }
        )
    return render(request, "appeals/common.html", {"groups": groups, "scanned": len(appeals), "limit": limit})


def appeal_url(appeal: Appeal) -> str:
    return reverse("appeals:detail", kwargs={"number": appeal.number})
