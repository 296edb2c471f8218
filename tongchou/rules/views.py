"""Pages of 政策找人 / 免申即享. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tongchou.accounts.access import public, require_roles
from tongchou.accounts.roles import role_of
from tongchou.core import clock
from tongchou.core.errors import TongchouError, ValidationFailed
from tongchou.facts.registry import current
from tongchou.facts.selectors import recent_imports
from tongchou.facts.services import NOT_IMPORTABLE, facts_import
from tongchou.rules import exports, forms, selectors, services
from tongchou.rules.models import (
    DeliveryStatus,
    RuleVersion,
    VersionStatus,
)

STAFF = ("department", "leader", "admin")
OPERATORS = ("department", "admin")


def _back(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else default


# -------------------------------------------------------------------------------------------
# enterprise
# -------------------------------------------------------------------------------------------
@require_roles("enterprise")
def my_policies(request: HttpRequest) -> HttpResponse:
    ent = getattr(request.user, "enterprise", None)
    data = selectors.enterprise_policies(ent)
    return render(request, "rules/my_policies.html", {"enterprise": ent, "data": data})


@require_roles(*STAFF)
def enterprise_policies(request: HttpRequest, uscc: str) -> HttpResponse:
    """Staff view of one enterprise's 我可享受的政策 (region-scoped; read-only)."""
    ent = selectors.enterprise_by_uscc_for_user(request.user, uscc)
    data = selectors.enterprise_policies(ent)
    return render(request, "rules/my_policies.html", {"enterprise": ent, "data": data, "staff_view": True})


@require_roles("enterprise")
@require_POST
def delivery_confirm(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        dlv = services.delivery_for_enterprise_user(request.user, delivery_id)
        services.delivery_confirm(delivery=dlv, user=request.user)
        messages.success(
            request, f"已确认享受“{dlv.rule_version.name}”。经办部门将进行公示，公示期满无异议后拨付。"
        )
    except TongchouError as err:
        messages.error(request, err.message)
    return redirect(reverse("rules:my_policies") + "#eligible")


@require_roles("enterprise")
@require_POST
def delivery_decline(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        dlv = services.delivery_for_enterprise_user(request.user, delivery_id)
        services.delivery_decline(delivery=dlv, user=request.user, reason=request.POST.get("reason", ""))
        messages.info(request, f"已放弃“{dlv.rule_version.name}”。")
    except TongchouError as err:
        messages.error(request, err.message)
    return redirect(reverse("rules:my_policies") + "#eligible")


# -------------------------------------------------------------------------------------------
# public: publicity and objections
# -------------------------------------------------------------------------------------------
@public
def publicity(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.publicity_list(), 50).get_page(request.GET.get("page"))
    return render(request, "rules/publicity.html", {"page": page, "today": clock.today()})


@public
def objection_new(request: HttpRequest, delivery_id: int) -> HttpResponse:
    dlv = selectors.publicity_delivery(delivery_id)
    form = forms.ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_lodge(delivery=dlv, user=request.user, **form.cleaned_data)
            messages.success(request, "异议已提交，经办部门将核实处理。")
            return redirect("rules:publicity")
        except TongchouError as err:
            form.add_error(None, err.message)
    return render(request, "rules/objection_new.html", {"delivery": dlv, "form": form})


# -------------------------------------------------------------------------------------------
# staff: rules
# -------------------------------------------------------------------------------------------
@require_roles(*STAFF)
def index(request: HttpRequest) -> HttpResponse:
    rules = selectors.rules_overview()
    q = (request.GET.get("q") or "").strip()
    if q:
        rules = [r for r in rules if q in r["rule"].id or q in r["current"].name or q in r["rule"].measure_id]
    run = selectors.latest_run()
    return render(
        request,
        "rules/index.html",
        {
            "rules": rules,
            "q": q,
            "run": run,
            "counts": selectors.delivery_counts(request.user),
            "published": sum(1 for r in rules if r["published"]),
            "drafts": sum(1 for r in rules if r["draft"]),
            "is_admin": role_of(request.user) == "admin",
        },
    )


@require_roles(*STAFF)
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    rule = selectors.rule_get(rule_id)
    versions = list(rule.versions.select_related("created_by", "published_by").order_by("-number"))
    try:
        number = int(request.GET.get("v") or 0)
    except ValueError:
        number = 0
    shown = next((v for v in versions if v.number == number), None) or next(
        (v for v in versions if v.status == VersionStatus.PUBLISHED), versions[0] if versions else None
    )
    return render(
        request,
        "rules/rule_detail.html",
        {
            "rule": rule,
            "versions": versions,
            "v": shown,
            "spec": shown.to_spec() if shown else None,
            "measure": rule.measure,
            "is_admin": role_of(request.user) == "admin",
        },
    )


def _editor_context(data: dict, *, rule=None, base=None, errors=None) -> dict:
    return {
        "data": data,
        "rows": forms.editor_rows(data),
        "rule": rule,
        "base": base,
        "errors": errors or [],
        "benefit_choices": forms.BENEFIT_CHOICES,
        "delivery_choices": forms.DELIVERY_CHOICES,
        "facts": current().schema(),
        "materials_text": "\n".join(data.get("materials") or []),
    }


@require_roles("admin")
def rule_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = forms.data_from_post(request.POST)
        try:
            version = services.rule_draft_save(data=data, actor=request.user)
            messages.success(request, f"已保存草稿 第{version.number}版。")
            return redirect(reverse("rules:rule_detail", args=[version.rule_id]) + f"?v={version.number}")
        except ValidationFailed as err:
            return render(request, "rules/editor.html", _editor_context(data, errors=err.detail), status=400)
    data = {
        "id": "",
        "name": "",
        "measure_id": request.GET.get("measure", ""),
        "region": "370306",
        "delivery": "automatic",
        "conditions": [],
        "benefit": {"kind": "cash", "formula": ""},
    }
    return render(request, "rules/editor.html", _editor_context(data))


@require_roles("admin")
def rule_edit(request: HttpRequest, rule_id: str) -> HttpResponse:
    rule = selectors.rule_get(rule_id)
    base = rule.versions.order_by("-number").first()
    if request.method == "POST":
        data = forms.data_from_post(request.POST, rule_id=rule.id)
        try:
            version = services.rule_draft_save(data=data, actor=request.user, base=base)
            messages.success(request, f"已保存为草稿 第{version.number}版（已发布的版本保持不变）。")
            return redirect(reverse("rules:rule_detail", args=[rule.id]) + f"?v={version.number}")
        except ValidationFailed as err:
            return render(
                request,
                "rules/editor.html",
                _editor_context(data, rule=rule, base=base, errors=err.detail),
                status=400,
            )
    return render(request, "rules/editor.html", _editor_context(base.to_dict(), rule=rule, base=base))


@require_roles("admin")
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """HTMX: errors at the spot, or how many enterprises the draft reaches and what it costs."""
    data = forms.data_from_post(request.POST, rule_id=request.POST.get("rule_id") or None)
    # placeholders so that the expressions are checked even before the form is complete
    data["id"] = data["id"] or "draft.preview"
    data["name"] = data["name"] or "（未命名）"
    data["measure_id"] = data["measure_id"] or "zhoucun-2020-8/1"
    data["region"] = data["region"] or "37"
    result = selectors.preview_reach(data, forms.parse_date(request.POST.get("preview_as_of")))
    slugs = {forms.field_slug(f"conditions[{i}].expression") for i in range(forms.MAX_CONDITIONS)}
    slugs |= {forms.field_slug(f) for f in ("benefit.formula", "benefit.cap", "id", "name", "measure_id", "region", "valid_from", "valid_to", "materials", "delivery", "conditions")}  # fmt: skip
    by_slug: dict[str, list] = {}
    for e in result.get("errors", []):
        e["slug"] = forms.field_slug(e.get("field", ""))
        text = _field_text(data, e.get("field", ""))
        lines = text.splitlines() or [""]
        if text and 0 < e.get("line", 0) <= len(lines):
            e["snippet"] = lines[e["line"] - 1]
            e["caret"] = " " * max(0, e.get("column", 1) - 1) + "^"
        by_slug.setdefault(e["slug"], []).append(e)
    return render(
        request,
        "rules/_preview.html",
        {"r": result, "slots": [(s, by_slug.get(s, [])) for s in sorted(slugs)]},
    )


def _field_text(data: dict, field: str) -> str:
    if field.startswith("conditions["):
        try:
            i = int(field[len("conditions[") : field.index("]")])
            return data["conditions"][i]["expression"]
        except (ValueError, IndexError, KeyError):
            return ""
    if field == "benefit.formula":
        return data["benefit"].get("formula") or ""
    return ""


def _version_action(request: HttpRequest, rule_id: str, number: int, action) -> HttpResponse:
    version = selectors.version_get(rule_id, number)
    try:
        action(version=version, actor=request.user)
        messages.success(
            request,
            f"第{version.number}版已{'发布' if action is services.rule_version_publish else '停用'}。",
        )
    except TongchouError as err:
        messages.error(request, err.message)
    return redirect(reverse("rules:rule_detail", args=[rule_id]) + f"?v={number}")


@require_roles("admin")
@require_POST
def version_publish(request: HttpRequest, rule_id: str, number: int) -> HttpResponse:
    return _version_action(request, rule_id, number, services.rule_version_publish)


@require_roles("admin")
@require_POST
def version_retire(request: HttpRequest, rule_id: str, number: int) -> HttpResponse:
    return _version_action(request, rule_id, number, services.rule_version_retire)


# -------------------------------------------------------------------------------------------
# staff: runs
# -------------------------------------------------------------------------------------------
@require_roles(*STAFF)
def runs(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.runs_list(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "rules/runs.html",
        {"page": page, "default_as_of": clock.today(), "can_run": role_of(request.user) in OPERATORS},
    )


@require_roles(*OPERATORS)
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    as_of = forms.parse_date(request.POST.get("as_of"), clock.today())
    try:
        run = services.match_run(as_of=as_of, actor=request.user, trigger="manual")
        messages.success(
            request,
            f"比对完成：符合 {run.eligible} 项，新增 {run.new_eligible} 项，已推送 {run.notified} 户企业。",
        )
        return redirect("rules:run_detail", run_id=run.pk)
    except TongchouError as err:
        messages.error(request, err.message)
    except Exception as err:  # a failed run is recorded on the run itself
        messages.error(request, f"比对失败：{err}")
    return redirect("rules:runs")


@require_roles(*STAFF)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    from django.db.models import Count, Sum

    run = selectors.run_get(run_id)
    per_rule = (
        run.decisions.values("rule_id", "rule_version__name", "rule_version__number")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by("rule_id")
    )
    table: dict[str, dict] = {}
    for row in run.decisions.values("rule_id", "status").annotate(n=Count("id")):
        table.setdefault(row["rule_id"], {})[row["status"]] = row["n"]
    new = run.decisions.filter(is_new=True).values("rule_id").annotate(n=Count("id"))
    new_by_rule = {r["rule_id"]: r["n"] for r in new}
    rows = []
    seen = set()
    for r in per_rule:
        if r["rule_id"] in seen:
            continue
        seen.add(r["rule_id"])
        counts = table.get(r["rule_id"], {})
        amount = run.decisions.filter(rule_id=r["rule_id"], status="eligible").aggregate(s=Sum("amount"))["s"]
        rows.append(
            {
                "rule_id": r["rule_id"],
                "name": r["rule_version__name"],
                "number": r["rule_version__number"],
                "eligible": counts.get("eligible", 0),
                "unknown": counts.get("unknown", 0),
                "near": counts.get("ineligible", 0),
                "new": new_by_rule.get(r["rule_id"], 0),
                "amount": amount,
            }
        )
    rows.sort(key=lambda r: -(r["amount"] or 0))
    return render(request, "rules/run_detail.html", {"run": run, "rows": rows})


# -------------------------------------------------------------------------------------------
# staff: delivery workbench
# -------------------------------------------------------------------------------------------
@require_roles(*STAFF)
def deliveries(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    rule_id = request.GET.get("rule") or ""
    qs = selectors.deliveries_for_staff(request.user, status=status or None, rule_id=rule_id or None)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    from tongchou.rules.models import Objection

    open_objections = Objection.objects.filter(
        status="open", delivery__in=selectors.deliveries_for_staff(request.user)
    ).select_related("delivery", "delivery__enterprise", "delivery__rule_version")
    return render(
        request,
        "rules/deliveries.html",
        {
            "page": page,
            "status": status,
            "rule": rule_id,
            "statuses": DeliveryStatus.choices,
            "counts": selectors.delivery_counts(request.user),
            "objections": open_objections,
            "can_act": role_of(request.user) in OPERATORS,
            "today": clock.today(),
        },
    )


@require_roles(*STAFF)
def delivery_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    dlv = selectors.delivery_for_staff(request.user, delivery_id)
    return render(
        request,
        "rules/delivery_detail.html",
        {
            "d": dlv,
            "decision": dlv.decision,
            "events": dlv.events.select_related("actor"),
            # one form per objection, with ids of its own (the field names stay the same)
            "objections": [
                (o, forms.ResolveForm(auto_id=f"objection-{o.pk}-%s")) for o in dlv.objections.all()
            ],
            "payout_form": forms.PayoutForm(initial={"amount": dlv.amount, "paid_on": clock.today()}),
            "can_act": role_of(request.user) in OPERATORS,
            "today": clock.today(),
        },
    )


@require_roles(*OPERATORS)
@require_POST
def delivery_action(request: HttpRequest, delivery_id: int, action: str) -> HttpResponse:
    dlv = selectors.delivery_for_staff(request.user, delivery_id)
    try:
        if action == "publicity":
            days = int(request.POST.get("days") or 0) or None
            services.delivery_start_publicity(delivery=dlv, actor=request.user, days=days)
            messages.success(request, "已列入公示。")
        elif action == "close":
            services.delivery_close_publicity(delivery=dlv, actor=request.user)
            messages.success(request, "公示期满，已转入待拨付。")
        elif action == "payout":
            form = forms.PayoutForm(request.POST)
            if not form.is_valid():
                raise ValidationFailed("；".join(f"{k}：{'，'.join(v)}" for k, v in form.errors.items()))
            services.delivery_approve_payout(delivery=dlv, actor=request.user, **form.cleaned_data)
            messages.success(request, "拨付已审批并记录。")
        else:
            messages.error(request, "未知的操作。")
    except ValueError:
        messages.error(request, "公示天数应为整数。")
    except TongchouError as err:
        messages.error(request, err.message)
    return redirect(_back(request, reverse("rules:delivery_detail", args=[delivery_id])))


@require_roles(*OPERATORS)
@require_POST
def publicity_batch(request: HttpRequest) -> HttpResponse:
    """Put every confirmed case (optionally of one rule) on publicity in one go."""
    qs = selectors.deliveries_for_staff(
        request.user, status=DeliveryStatus.CONFIRMED, rule_id=request.POST.get("rule") or None
    )
    n = 0
    for dlv in qs:
        try:
            services.delivery_start_publicity(delivery=dlv, actor=request.user)
            n += 1
        except TongchouError as err:
            messages.error(request, f"{dlv.enterprise.name}：{err.message}")
    messages.success(request, f"已将 {n} 件已确认事项列入公示。")
    return redirect(reverse("rules:deliveries") + "?status=publicity")


@require_roles(*OPERATORS)
@require_POST
def objection_resolve(request: HttpRequest, objection_id: int) -> HttpResponse:
    from tongchou.rules.models import Objection

    obj = Objection.objects.filter(
        pk=objection_id, delivery__in=selectors.deliveries_for_staff(request.user)
    ).first()
    if obj is None:
        from tongchou.core.errors import NotFound

        raise NotFound("找不到该异议。")
    form = forms.ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed("请选择处理结果并填写处理意见。")
        services.objection_resolve(
            objection=obj,
            actor=request.user,
            upheld=form.cleaned_data["decision"] == "upheld",
            resolution=form.cleaned_data["resolution"],
        )
        messages.success(request, "异议已处理。")
    except TongchouError as err:
        messages.error(request, err.message)
    return redirect(_back(request, reverse("rules:delivery_detail", args=[obj.delivery_id])))


@require_roles(*STAFF)
def export_publicity(request: HttpRequest) -> HttpResponse:
    return exports.xlsx_response(
        exports.publicity_workbook(selectors.publicity_list(), request.user), "公示名单"
    )


@require_roles(*STAFF)
def export_ledger(request: HttpRequest) -> HttpResponse:
    qs = selectors.deliveries_for_staff(request.user, status=DeliveryStatus.PAID)
    return exports.xlsx_response(exports.ledger_workbook(qs), "拨付台账")


# -------------------------------------------------------------------------------------------
# department data upload
# -------------------------------------------------------------------------------------------
@require_roles(*OPERATORS)
def facts_upload(request: HttpRequest) -> HttpResponse:
    dept = getattr(request.user, "department", None)
    form = forms.FactUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"source": dept.name if dept else "", "as_of": clock.today()},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = facts_import(
                file=upload,
                file_name=upload.name,
                source=form.cleaned_data["source"],
                as_of=form.cleaned_data["as_of"],
                actor=request.user,
            )
            messages.success(request, f"已导入 {record.rows} 户企业的 {record.facts} 项数据。")
            return redirect("rules:facts_upload")
        except TongchouError as err:
            errors = err.detail if isinstance(err.detail, list) and err.detail else [{"message": err.message}]
            form.add_error(None, err.message)
    return render(
        request,
        "rules/facts_upload.html",
        {
            "form": form,
            "errors": errors,
            "imports": recent_imports(20),
            "facts": [f for f in current().schema() if f["name"] not in NOT_IMPORTABLE | {"name"}],
        },
    )


# -------------------------------------------------------------------------------------------
# simulation
# -------------------------------------------------------------------------------------------
def _sim_params(request: HttpRequest) -> dict:
    g = request.GET
    return {
        "a": g.get("a") or "",
        "b": g.get("b") or "",
        "as_of": g.get("as_of") or "",
        "budget": g.get("budget") or "",
        "cap": g.get("cap") or "",
        "formula": g.get("formula") or "",
    }


def _version_by_key(key: str) -> RuleVersion | None:
    rule_id, _sep, number = key.rpartition("@")
    if not rule_id:
        return None
    try:
        return RuleVersion.objects.select_related("rule").filter(rule_id=rule_id, number=int(number)).first()
    except ValueError:
        return None


def _run_simulation(params: dict) -> dict:
    from tongchou.rules.engine import RuleError, RuleSpec

    out: dict = {"results": [], "error": "", "as_of": None, "budget": None}
    va = _version_by_key(params["a"])
    if va is None:
        return out
    budget_wan = forms.parse_budget_wan(params["budget"])
    budget = budget_wan * 10000 if budget_wan else None
    specs = []
    spec_a = va.to_spec()
    day = forms.parse_date(params["as_of"]) or selectors.default_as_of(spec_a)
    specs.append((f"{va.name}（第{va.number}版·{va.get_status_display()}）", spec_a))
    if params["cap"] or params["formula"]:
        data = va.to_dict()
        data["version"] = va.number
        if params["formula"]:
            data["benefit"]["formula"] = params["formula"]
        if params["cap"]:
            data["benefit"]["cap"] = params["cap"]
        try:
            specs.append(("调整参数后", RuleSpec.from_dict({**data, "status": "draft"})))
        except RuleError as err:
            out["error"] = err.message
    vb = _version_by_key(params["b"])
    if vb is not None and vb.pk != va.pk:
        specs.append((f"{vb.name}（第{vb.number}版·{vb.get_status_display()}）", vb.to_spec()))
    for label, spec in specs:
        try:
            res = selectors.simulate(spec, day, budget_yuan=budget)
        except TongchouError as err:
            out["error"] = err.message
            continue
        res["label"] = label
        out["results"].append(res)
    out["as_of"] = day
    out["budget"] = budget
    return out


@require_roles(*STAFF)
def simulate(request: HttpRequest) -> HttpResponse:
    params = _sim_params(request)
    versions = RuleVersion.objects.select_related("rule").order_by("rule_id", "-number")
    if not params["a"]:
        first = versions.filter(status=VersionStatus.DRAFT).first() or versions.first()
        if first is not None and request.GET.get("auto") != "0":
            params["a"] = f"{first.rule_id}@{first.number}"
    sim = _run_simulation(params)
    charts = [
        {
            "label": r["label"],
            "district": r["by_district"],
            "section": r["by_section"][:12],
            "size": r["by_size"],
        }
        for r in sim["results"]
    ]
    return render(
        request,
        "rules/simulate.html",
        {
            "params": params,
            "options": [
                {
                    "key": f"{v.rule_id}@{v.number}",
                    "label": f"{v.name} · v{v.number}（{v.get_status_display()}）",
                }
                for v in versions
            ],
            "sim": sim,
            "as_of_value": params["as_of"] or (sim["as_of"].isoformat() if sim["as_of"] else ""),
            "charts": charts,
            "export_query": request.GET.urlencode(),
        },
    )


@require_roles(*STAFF)
def simulate_export(request: HttpRequest) -> HttpResponse:
    sim = _run_simulation(_sim_params(request))
    if not sim["results"]:
        messages.error(request, sim["error"] or "请先选择要测算的规则版本。")
        return redirect("rules:simulate")
    return exports.xlsx_response(exports.simulation_workbook(sim), "政策测算")
