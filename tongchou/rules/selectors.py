"""Reads of the rules app. Permission-checking fetches raise NotFound for "missing" and
"not yours" alike; staff lists go through the region scope."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from tongchou.accounts.roles import role_of
from tongchou.accounts.scope import filter_by_region, user_region_prefix
from tongchou.core.cache import process_cache
from tongchou.core.errors import NotFound, ValidationFailed
from tongchou.core.signals import enterprise_data_changed
from tongchou.facts.registry import current
from tongchou.rules.models import (
    Decision,
    Delivery,
    DeliveryStatus,
    MatchRun,
    Rule,
    RuleVersion,
    RunStatus,
    VersionStatus,
    measure_url,
)


def latest_run() -> MatchRun | None:
    return MatchRun.objects.filter(status=RunStatus.DONE).order_by("-finished_at", "-id").first()


def runs_list():
    return MatchRun.objects.select_related("triggered_by").order_by("-started_at", "-id")


def run_get(run_id: int) -> MatchRun:
    run = MatchRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound("找不到该比对运行。")
    return run


# -------------------------------------------------------------------------------------------
# rules
# -------------------------------------------------------------------------------------------
def rules_overview() -> list[dict]:
    """Every rule with its versions (newest first) and the version in force."""
    versions = RuleVersion.objects.select_related("rule", "created_by").order_by("rule_id", "-number")
    rules: OrderedDict[str, dict] = OrderedDict()
    for v in versions:
        item = rules.setdefault(
            v.rule_id,
            {
                "rule": v.rule,
                "versions": [],
                "published": None,
                "draft": None,
                "measure_url": measure_url(v.rule.measure_id),
            },
        )
        item["versions"].append(v)
        if v.status == VersionStatus.PUBLISHED and item["published"] is None:
            item["published"] = v
        if v.status == VersionStatus.DRAFT and item["draft"] is None:
            item["draft"] = v
    from tongchou.regions.models import Region

    names = dict(
        Region.objects.filter(code__in={i["versions"][0].region_code for i in rules.values()}).values_list(
            "code", "name"
        )
    )
    for item in rules.values():
        item["current"] = item["published"] or item["versions"][0]
        item["region_name"] = names.get(item["current"].region_code, item["current"].region_code)
    return list(rules.values())


def rule_get(rule_id: str) -> Rule:
    rule = Rule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("找不到该规则。")
    return rule


def version_get(rule_id: str, number: int) -> RuleVersion:
    v = RuleVersion.objects.select_related("rule").filter(rule_id=rule_id, number=number).first()
    if v is None:
        raise NotFound("找不到该规则版本。")
    return v


# -------------------------------------------------------------------------------------------
# the enterprise's own view
# -------------------------------------------------------------------------------------------
@dataclass
class EnterprisePolicies:
    run: MatchRun | None
    eligible: list[dict] = field(default_factory=list)
    near_misses: list[dict] = field(default_factory=list)
    unknown: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)  # [{name, label, source, rules: [...]}]
    total: Decimal = Decimal(0)

    @property
    def automatic(self) -> int:
        return sum(1 for v in self.eligible if v["delivery_mode"] == "automatic")


def _decision_view(d: Decision) -> dict:
    v = d.rule_version
    return {
        "decision": d,
        "id": d.pk,
        "rule_id": d.rule_id,
        "version": v.number,
        "name": v.name,
        "measure_id": v.rule.measure_id,
        "measure_url": measure_url(v.rule.measure_id),
        "summary": v.summary,
        "status": d.status,
        "amount": d.amount,
        "benefit_kind": v.benefit_kind,
        "benefit_kind_label": v.get_benefit_kind_display(),
        "benefit_description": v.benefit_description,
        "benefit_value": d.benefit_value,
        "delivery_mode": v.delivery,
        "materials": v.materials,
        "explanation": d.explanation,
        "trace": d.trace,
        "facts": d.facts,
        "near_miss": d.near_miss,
        "missing_facts": [{"name": n, "label": current().label(n)} for n in d.missing_facts],
        "is_new": d.is_new,
        "valid_to": v.valid_to,
        "delivery": None,
    }


def enterprise_policies(enterprise: Any) -> EnterprisePolicies:
    """What the latest run decided for one enterprise: eligible (with the delivery case),
    near misses (failed by exactly one condition) and facts whose absence blocks a decision."""
    run = latest_run()
    out = EnterprisePolicies(run=run)
    if run is None or enterprise is None:
        return out
    decisions = (
        Decision.objects.filter(run=run, enterprise=enterprise)
        .select_related("rule_version", "rule_version__rule")
        .order_by("-amount", "rule_id")
    )
    deliveries = {}
    for dlv in Delivery.objects.filter(enterprise=enterprise).order_by("created_at", "id"):
        deliveries[dlv.rule_id] = dlv  # the newest case per rule
    missing: OrderedDict[str, dict] = OrderedDict()
    for d in decisions:
        view = _decision_view(d)
        if d.status == "eligible":
            view["delivery"] = deliveries.get(d.rule_id)
            out.eligible.append(view)
            out.total += d.amount or 0
        elif d.status == "unknown":
            out.unknown.append(view)
            for n in d.missing_facts:
                f = current().get(n)
                entry = missing.setdefault(
                    n, {"name": n, "label": current().label(n), "source": f.source if f else "", "rules": []}
                )
                entry["rules"].append(view)
        elif d.near_miss and d.failed_conditions == 1:
            out.near_misses.append(view)
    out.near_misses.sort(key=lambda v: (v["near_miss"] or {}).get("gap") or 0)
    out.missing = list(missing.values())
    return out


def enterprise_for_user(user: Any):
    ent = getattr(user, "enterprise", None)
    if ent is None:
        raise NotFound("您的账号尚未绑定企业。")
    return ent


def enterprise_by_uscc_for_user(user: Any, uscc: str):
    """An enterprise the user may see: their own (enterprise users) or in their region (staff)."""
    from tongchou.enterprises.models import Enterprise

    ent = Enterprise.objects.filter(uscc=uscc).first()
    if ent is None:
        raise NotFound("找不到该企业。")
    role = role_of(user)
    if role == "enterprise":
        if user.enterprise_id != ent.pk:
            raise NotFound("找不到该企业。")
        return ent
    prefix = user_region_prefix(user)
    if prefix is not None and not ent.region_id.startswith(prefix):
        raise NotFound("找不到该企业。")
    return ent


# -------------------------------------------------------------------------------------------
# live explanation (the tracer) — CLI and API
# -------------------------------------------------------------------------------------------
# Published specs and the facts snapshot, kept per process. Dropped on saves of rule versions and on
# ``enterprise_data_changed`` (sent by every writer of registry data or facts, bulk ones included);
# the aggregate keys below catch other processes' changes.
_specs = process_cache(
    "rules.published_specs", max_entries=1, invalidated_by=["rules.RuleVersion", enterprise_data_changed]
)
_snapshots = process_cache(
    "rules.facts_snapshot", max_entries=1, invalidated_by=["rules.RuleVersion", enterprise_data_changed]
)


def published_specs() -> list:
    """Published specs, cached in-process until a version changes (explain must be fast)."""
    from django.db.models import Count, Max

    agg = RuleVersion.objects.filter(status=VersionStatus.PUBLISHED).aggregate(
        n=Count("id"), m=Max("id"), p=Max("published_at")
    )
    key = (agg["n"], agg["m"], agg["p"])

    def build() -> list:
        versions = RuleVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("rule")
        return [v.to_spec() for v in versions]

    return _specs.get(key, build)


def _fv(fv, meta: dict) -> dict:
    value = fv.value.isoformat() if isinstance(fv.value, dt.date) else fv.value
    on, src = meta.get(fv.name, ("", ""))
    return {"name": fv.name, "label": fv.label, "value": value, "unit": fv.unit, "derived": fv.derived,
            "as_of": on, "source": src}  # fmt: skip


def _trace_dict(t, meta: dict) -> dict:
    """A RuleTrace as plain data (a shallow, fast equivalent of RuleTrace.to_dict plus the as-of
    date and source of every fact value)."""
    return {
        "rule_id": t.rule_id,
        "rule_version": t.rule_version,
        "name": t.name,
        "measure_id": t.measure_id,
        "measure_url": measure_url(t.measure_id),
        "status": t.status,
        "benefit_kind": t.benefit_kind,
        "benefit_description": t.benefit_description,
        "formula": t.formula,
        "cap": t.cap,
        "benefit_value": t.benefit_value,
        "amount_yuan": t.amount_yuan,
        "formula_facts": [_fv(f, meta) for f in t.formula_facts],
        "conditions": [
            {
                "index": c.index,
                "label": c.label,
                "expression": c.expression,
                "result": c.result,
                "comparison": c.comparison,
                "facts": [_fv(f, meta) for f in c.facts],
            }  # fmt: skip
            for c in t.conditions
        ],
        "failed_conditions": t.failed_conditions,
        "missing_facts": [{"name": m.name, "label": m.label, "unit": m.unit} for m in t.missing_facts],
        "near_miss": t.near_miss,
        "delivery": t.delivery,
        "materials": t.materials,
        "valid_from": t.valid_from,
        "valid_to": t.valid_to,
        "explanation": t.explanation,
        "summary": t.summary,
    }


def explain_enterprise(enterprise: Any, as_of: dt.date) -> dict:
    """Trace every published rule in force for one enterprise (live, from the facts as of a date)."""
    from tongchou.facts.selectors import enterprise_facts
    from tongchou.rules.engine import explain

    facts, meta = enterprise_facts(enterprise, as_of)
    traces = explain(published_specs(), facts, as_of)
    eligible, near, unknown = [], [], []
    missing: OrderedDict[str, dict] = OrderedDict()
    for t in traces:
        d = _trace_dict(t, meta)
        if t.status == "eligible":
            eligible.append(d)
        elif t.status == "unknown":
            unknown.append(d)
            for m in t.missing_facts:
                missing.setdefault(m.name, {"name": m.name, "label": m.label, "rules": []})["rules"].append(
                    t.rule_id
                )
        elif t.near_miss:
            near.append(d)
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "as_of": as_of.isoformat(),
        "eligible": eligible,
        "near_misses": near,
        "unknown": unknown,
        "missing": list(missing.values()),
        "total_amount": round(sum(t["amount_yuan"] or 0 for t in eligible), 2),
    }


# -------------------------------------------------------------------------------------------
# deliveries (staff)
# -------------------------------------------------------------------------------------------
def deliveries_for_staff(user: Any, *, status: str | None = None, rule_id: str | None = None):
    qs = Delivery.objects.select_related("enterprise", "rule_version", "approved_by").order_by(
        "-created_at", "-id"
    )
    qs = filter_by_region(qs, user, field="enterprise__region")
    if status:
        qs = qs.filter(status=status)
    if rule_id:
        qs = qs.filter(rule_id=rule_id)
    return qs


def delivery_for_staff(user: Any, delivery_id: int) -> Delivery:
    dlv = deliveries_for_staff(user).filter(pk=delivery_id).first()
    if dlv is None:
        raise NotFound("找不到该兑现事项。")
    return dlv


def publicity_list():
    """Cases now on publicity (shown to the public, who may object)."""
    return (
        Delivery.objects.filter(status__in=[DeliveryStatus.IN_PUBLICITY, DeliveryStatus.OBJECTED])
        .select_related("enterprise", "enterprise__region", "rule_version")
        .order_by("publicity_end", "id")
    )


def publicity_delivery(delivery_id: int) -> Delivery:
    dlv = publicity_list().filter(pk=delivery_id).first()
    if dlv is None:
        raise NotFound("该事项不在公示中。")
    return dlv


# where the 免申即享 cycle ends: paid, declined by the enterprise, or refused after an objection
DELIVERY_FINISHED = frozenset({DeliveryStatus.PAID, DeliveryStatus.DECLINED, DeliveryStatus.REJECTED})


def delivery_counts(user: Any, *, queryset: Any = None) -> dict[str, int]:
    """{status: count} of the deliveries the user may see (or of *queryset*, already scoped)."""
    from django.db.models import Count

    qs = deliveries_for_staff(user) if queryset is None else queryset
    rows = qs.order_by().values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def deliveries_in_progress(counts: dict[str, int]) -> int:
    """How many of *counts* (``delivery_counts``) are still moving: not paid, declined or refused."""
    return sum(n for status, n in counts.items() if status not in DELIVERY_FINISHED)


# -------------------------------------------------------------------------------------------
# simulation
# -------------------------------------------------------------------------------------------
SIZE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


def _region_names() -> dict[str, str]:
    from tongchou.regions.models import Region

    return dict(Region.objects.filter(level__in=["county", "city"]).values_list("code", "name"))


def _section_names() -> dict[str, str]:
    from tongchou.enterprises.models import Industry

    return dict(Industry.objects.filter(level="section").values_list("code", "name"))


def simulate(spec, as_of: dt.date, *, budget_yuan: float | None = None, snapshot=None) -> dict:
    """Reach and cost of one rule (a draft, a published version or changed parameters) over
    today's enterprises, by district, industry section and size class, against a budget."""
    from tongchou.rules.engine import evaluate

    snap = snapshot or cached_snapshot(as_of)
    if not spec.in_force(as_of):
        raise ValidationFailed(
            f"规则在 {as_of} 不在有效期内（{spec.effective_from} 至 {spec.effective_to}），请换一个测算日期。",
            code="not_in_force",
        )
    result = evaluate([spec], snap.frame, as_of, keep="relevant")
    population = snap.frame.height
    attrs = snap.frame.select("uscc", "region_code", "industry_section", "size_class")
    df = result.join(attrs, on="uscc", how="left").with_columns(
        pl.col("region_code").str.slice(0, 6).alias("district"),
        pl.col("amount_yuan").fill_null(0.0).alias("amt"),
    )
    eligible = df.filter(pl.col("status") == "eligible")
    regions = _region_names()
    sections = _section_names()

    def group(col: str, names: dict[str, str]) -> list[dict]:
        if eligible.height == 0:
            return []
        g = (
            eligible.group_by(col)
            .agg(pl.len().alias("count"), pl.col("amt").sum().alias("cost"))
            .sort("cost", "count", descending=True)
        )
        return [
            {
                "key": r[col] or "",
                "label": names.get(r[col] or "", r[col] or "未知"),
                "count": r["count"],
                "cost": round(r["cost"], 2),
            }  # fmt: skip
            for r in g.iter_rows(named=True)
        ]

    cost = round(float(eligible.get_column("amt").sum()) if eligible.height else 0.0, 2)
    unknown = df.filter(pl.col("status") == "unknown").height
    near = df.filter(pl.col("near_miss")).height
    out = {
        "rule_id": spec.id,
        "version": spec.version,
        "name": spec.name,
        "as_of": as_of.isoformat(),
        "population": population,
        "eligible": eligible.height,
        "unknown": unknown,
        "near_misses": near,
        "cost": cost,
        "average": round(cost / eligible.height, 2) if eligible.height else 0.0,
        "budget": budget_yuan,
        "budget_share": round(cost / budget_yuan, 4) if budget_yuan else None,
        "over_budget": bool(budget_yuan and cost > budget_yuan),
        "by_district": group("district", regions),
        "by_section": group("industry_section", sections),
        "by_size": group("size_class", SIZE_LABELS),
        "is_cash": spec.benefit.kind == "cash",
    }
    return out


def clear_caches(**_: Any) -> None:
    """Forget cached specs and snapshots (the caches also clear themselves on their signals: the
    aggregate keys only catch other processes' changes, and miss an in-place update of a fact value)."""
    _snapshots.clear()
    _specs.clear()


def cached_snapshot(as_of: dt.date):
    """The facts snapshot, reused while no enterprise or fact changed (previews and simulations)."""
    from django.db.models import Count, Max

    from tongchou.enterprises.models import Enterprise
    from tongchou.facts.selectors import facts_version, snapshot_as_of

    e = Enterprise.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    key = (as_of, e["n"], e["m"], *facts_version())
    return _snapshots.get(key, lambda: snapshot_as_of(as_of))


def default_as_of(spec) -> dt.date:
    """The date to measure a rule on when none is given: the latest run's date or today when the
    rule is in force then, else the last day of its window (before today), else its first day."""
    from tongchou.core import clock

    today = clock.today()
    run = latest_run()
    for day in (run.as_of if run else None, today):
        if day is not None and spec.in_force(day):
            return day
    end, start = spec.effective_to, spec.effective_from
    if end is not None and end < today:
        return end
    return start or today


def preview_reach(data: dict, as_of: dt.date | None = None) -> dict:
    """Live preview for the editor: either the errors (with line/column per field) or how many
    enterprises the draft would reach and what it would cost."""
    from tongchou.rules.engine import RuleError, RuleSpec

    try:
        spec = RuleSpec.from_dict({**data, "status": "draft"})
    except RuleError as err:
        return {"ok": False, "errors": [e.to_dict() for e in err.errors]}
    day = as_of or default_as_of(spec)
    try:
        sim = simulate(spec, day)
    except ValidationFailed as err:
        return {"ok": False, "errors": [{"field": "", "message": err.message, "line": 0, "column": 0}]}
    return {"ok": True, **sim}
