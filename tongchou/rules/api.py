"""JSON API of 政策找人 (mounted at /api/rules/): an enterprise's decisions and their explanation,
confirm/decline, match runs, simulation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from tongchou.accounts.access import api_require_roles
from tongchou.core import clock
from tongchou.core.errors import ValidationFailed
from tongchou.facts.registry import current
from tongchou.rules import selectors, services

router = Router(tags=["rules"])

STAFF = ("department", "leader", "admin")


def _user(request: HttpRequest):
    return getattr(request, "auth", None) or request.user


def _date(text: str | None, default: dt.date | None = None) -> dt.date:
    if not text:
        return default or clock.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日期“{text}”格式不对，应为 YYYY-MM-DD。", code="bad_date") from None


def _decision_out(v: dict) -> dict:
    d = v.get("delivery")
    return {
        "rule_id": v["rule_id"],
        "version": v["version"],
        "name": v["name"],
        "measure_id": v["measure_id"],
        "measure_url": v["measure_url"],
        "status": v["status"],
        "amount_yuan": float(v["amount"]) if v["amount"] is not None else None,
        "benefit_kind": v["benefit_kind"],
        "benefit_description": v["benefit_description"],
        "delivery_mode": v["delivery_mode"],
        "materials": v["materials"],
        "explanation": v["explanation"],
        "conditions": v["trace"],
        "facts": v["facts"],
        "near_miss": v["near_miss"],
        "missing_facts": v["missing_facts"],
        "is_new": v["is_new"],
        "delivery": {"id": d.pk, "status": d.status, "status_label": d.get_status_display()} if d else None,
    }


@router.get("/mine", url_name="rules_mine", summary="本企业可享受的政策（最近一次比对）")
def mine(request: HttpRequest) -> dict[str, Any]:
    api_require_roles(request, "enterprise")
    user = _user(request)
    data = selectors.enterprise_policies(selectors.enterprise_for_user(user))
    return {
        "run": {"id": data.run.pk, "as_of": data.run.as_of.isoformat()} if data.run else None,
        "total_amount_yuan": float(data.total),
        "eligible": [_decision_out(v) for v in data.eligible],
        "near_misses": [_decision_out(v) for v in data.near_misses],
        "unknown": [_decision_out(v) for v in data.unknown],
        "missing": [
            {
                "name": m["name"],
                "label": m["label"],
                "source": m["source"],
                "rules": [r["rule_id"] for r in m["rules"]],
            }
            for m in data.missing
        ],
    }


@router.get(
    "/explain", url_name="rules_explain", summary="解释一户企业可享受的政策（实时，按截止日期的数据）"
)
def explain(request: HttpRequest, uscc: str = "", as_of: str = "") -> dict[str, Any]:
    api_require_roles(request, "enterprise", *STAFF)
    user = _user(request)
    if not uscc and getattr(user, "enterprise", None) is not None:
        ent = user.enterprise
    else:
        ent = selectors.enterprise_by_uscc_for_user(user, uscc.strip().upper())
    return selectors.explain_enterprise(ent, _date(as_of))


@router.post("/deliveries/{delivery_id}/confirm", url_name="rules_delivery_confirm", summary="企业确认享受")
def confirm(request: HttpRequest, delivery_id: int) -> dict[str, Any]:
    api_require_roles(request, "enterprise")
    user = _user(request)
    dlv = services.delivery_confirm(
        delivery=services.delivery_for_enterprise_user(user, delivery_id), user=user
    )
    return {"id": dlv.pk, "status": dlv.status, "status_label": dlv.get_status_display()}


class DeclineIn(Schema):
    reason: str = ""


@router.post("/deliveries/{delivery_id}/decline", url_name="rules_delivery_decline", summary="企业放弃享受")
def decline(request: HttpRequest, delivery_id: int, body: DeclineIn | None = None) -> dict[str, Any]:
    api_require_roles(request, "enterprise")
    user = _user(request)
    dlv = services.delivery_decline(
        delivery=services.delivery_for_enterprise_user(user, delivery_id),
        user=user,
        reason=(body.reason if body else ""),
    )
    return {"id": dlv.pk, "status": dlv.status, "status_label": dlv.get_status_display()}


def _run_out(r) -> dict[str, Any]:
    return {
        "id": r.pk,
        "as_of": r.as_of.isoformat(),
        "status": r.status,
        "engine": r.engine,
        "trigger": r.trigger,
        "started_at": r.started_at.isoformat(),
        "finished_at": r.finished_at.isoformat() if r.finished_at else None,
        "rules": r.rules,
        "enterprises": r.enterprises,
        "eligible": r.eligible,
        "unknown": r.unknown,
        "near_misses": r.near_misses,
        "new_eligible": r.new_eligible,
        "notified": r.notified,
        "total_amount_yuan": float(r.total_amount),
        "error": r.error,
    }


@router.get("/runs", url_name="rules_runs", summary="比对运行列表")
def runs(request: HttpRequest, limit: int = 20) -> list[dict[str, Any]]:
    api_require_roles(request, *STAFF)
    return [_run_out(r) for r in selectors.runs_list()[: max(1, min(limit, 200))]]


class RunIn(Schema):
    as_of: str = ""
    engine: str = "duckdb"


@router.post("/runs/start", url_name="rules_run_start", summary="立即运行一次比对")
def run_start(request: HttpRequest, body: RunIn) -> dict[str, Any]:
    api_require_roles(request, "department", "admin")
    if body.engine not in ("duckdb", "postgres"):
        raise ValidationFailed("engine 应为 duckdb 或 postgres。", code="bad_engine")
    run = services.match_run(as_of=_date(body.as_of), actor=_user(request), trigger="api", engine=body.engine)
    return _run_out(run)


class SimulateIn(Schema):
    rule_id: str = ""
    version: int | None = None
    rule: dict | None = None  # a draft in the engine's dict form instead of a stored version
    as_of: str = ""
    budget_wan: float | None = None


@router.post(
    "/simulate", url_name="rules_simulate", summary="测算一条规则（草稿或某一版本）的覆盖面和资金需求"
)
def simulate(request: HttpRequest, body: SimulateIn) -> dict[str, Any]:
    api_require_roles(request, *STAFF)
    from tongchou.rules.engine import RuleError, RuleSpec

    if body.rule:
        try:
            spec = RuleSpec.from_dict({**body.rule, "status": "draft"})
        except RuleError as err:
            raise ValidationFailed(
                err.message, code="rule_invalid", detail=[e.to_dict() for e in err.errors]
            ) from None
    else:
        rule = selectors.rule_get(body.rule_id)
        qs = rule.versions.order_by("-number")
        v = qs.filter(number=body.version).first() if body.version else qs.first()
        if v is None:
            raise ValidationFailed("找不到该规则版本。", code="version_missing")
        spec = v.to_spec()
    day = _date(body.as_of) if body.as_of else selectors.default_as_of(spec)
    budget = body.budget_wan * 10000 if body.budget_wan else None
    return selectors.simulate(spec, day, budget_yuan=budget)


@router.get("/rules", url_name="rules_list", summary="规则及其版本")
def rules_list(request: HttpRequest) -> list[dict[str, Any]]:
    api_require_roles(request, *STAFF)
    out = []
    for item in selectors.rules_overview():
        out.append(
            {
                "id": item["rule"].id,
                "measure_id": item["rule"].measure_id,
                "current": item["current"].to_dict(),
                "versions": [
                    {"number": v.number, "status": v.status, "created_at": v.created_at.isoformat()}
                    for v in item["versions"]
                ],
            }
        )
    return out


@router.get("/facts", url_name="rules_facts", summary="企业事实清单（规则可用的名称）")
def facts(request: HttpRequest) -> list[dict[str, Any]]:
    api_require_roles(request, "enterprise", "bank", *STAFF)
    return current().schema()
