"""Writes of the rules app: rule versions, match runs, the delivery cycle (facts and their
imports are the facts app's: tongchou.facts).

Every service validates, runs inside ``transaction.atomic``, writes an audit entry and schedules
side effects (notifications) after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max

from tongchou.core import clock
from tongchou.core.audit import audit_record
from tongchou.core.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from tongchou.core.masking import mask_account
from tongchou.core.workflow.engine import lock as workflow_lock
from tongchou.core.workflow.engine import transition
from tongchou.facts.registry import current
from tongchou.rules.engine import RuleError, RuleSpec, evaluate, load_rules
from tongchou.rules.models import (
    Decision,
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    MatchRun,
    Objection,
    ObjectionStatus,
    Rule,
    RuleVersion,
    RunStatus,
    VersionStatus,
)
from tongchou.rules.states import WORKFLOW as DELIVERY_WORKFLOW

log = logging.getLogger("tongchou.rules")


# ---------------------------------------------------------------------------------------------
# rule versions
# ---------------------------------------------------------------------------------------------
def _content(data: dict) -> dict:
    """The part of a rule's data that decides (id, measure and content, not version/status)."""
    return {k: v for k, v in data.items() if k not in ("version", "status")}


def content_hash(data: dict) -> str:
    return hashlib.sha256(
        json.dumps(_content(data), sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def _version_fields(spec: RuleSpec) -> dict:
    return {
        "name": spec.name,
        "region_code": spec.region,
        "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
        "conditions": [c.to_dict() for c in spec.conditions],
        "benefit_kind": spec.benefit.kind,
        "benefit_formula": spec.benefit.formula or "",
        "benefit_cap": Decimal(str(spec.benefit.cap)) if spec.benefit.cap is not None else None,
        "benefit_description": spec.benefit.description,
        "delivery": spec.delivery,
        "materials": list(spec.materials),
        "summary": spec.summary,
        "examples": [e.to_dict() for e in spec.examples],
    }


def _spec_from_data(data: dict) -> RuleSpec:
    try:
        return RuleSpec.from_dict(data)
    except RuleError as err:
        raise ValidationFailed(
            "规则有误：" + err.message, code="rule_invalid", detail=[e.to_dict() for e in err.errors]
        ) from None


def _publish(version: RuleVersion, actor: Any) -> None:
    now = clock.now()
    for other in RuleVersion.objects.filter(rule=version.rule, status=VersionStatus.PUBLISHED).exclude(
        pk=version.pk
    ):
        other.status = VersionStatus.RETIRED
        other.retired_at = now
        other.save(update_fields=["status", "retired_at"])
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save(update_fields=["status", "published_at", "published_by"])


@transaction.atomic
def rules_load(*, path: str | Path, actor: Any = None, publish: bool = True) -> dict[str, int]:
    """Load YAML rules (the engine's pack format) as versions. Idempotent: a rule whose content
    is already held is left alone; a changed one becomes a new version (published when the file
    says ``status: published`` and ``publish`` is on)."""
    try:
        specs = load_rules(path)
    except RuleError as err:
        raise ValidationFailed(
            err.message, code="rule_invalid", detail=[e.to_dict() for e in err.errors]
        ) from None
    counts = {"created": 0, "new_version": 0, "unchanged": 0}
    for spec in sorted(specs, key=lambda s: (s.id, s.version)):
        data = spec.to_dict()
        digest = content_hash(data)
        rule, created = Rule.objects.get_or_create(id=spec.id, defaults={"measure_id": spec.measure_id})
        if rule.measure_id != spec.measure_id:
            rule.measure_id = spec.measure_id
            rule.save(update_fields=["measure_id"])
        same = rule.versions.filter(content_hash=digest).order_by("-number").first()
        if same is not None:
            if publish and spec.status == "published" and same.status == VersionStatus.DRAFT:
                _publish(same, actor)
            counts["unchanged"] += 1
            continue
        number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = RuleVersion.objects.create(
            rule=rule,
            number=number,
            content_hash=digest,
            source=Path(spec.source).name if spec.source else "",
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **_version_fields(spec),
        )
        if publish and spec.status == "published":
            _publish(version, actor)
        elif spec.status == "retired":
            version.status = VersionStatus.RETIRED
            version.retired_at = clock.now()
            version.save(update_fields=["status", "retired_at"])
        counts["created" if created else "new_version"] += 1
    audit_record(
        actor=actor, action="rules.load", object_type="rules.rule", detail={"path": str(path), **counts}
    )
    return counts


@transaction.atomic
def rule_draft_save(*, data: dict, actor: Any, base: RuleVersion | None = None) -> RuleVersion:
    """Save an edit as a draft. Editing a draft changes it in place; editing a published or
    retired version makes a new draft version (published versions never change)."""
    data = {**data, "status": "draft"}
    spec = _spec_from_data(data)
    rule, _ = Rule.objects.get_or_create(id=spec.id, defaults={"measure_id": spec.measure_id})
    if rule.measure_id != spec.measure_id:
        rule.measure_id = spec.measure_id
        rule.save(update_fields=["measure_id"])
    fields = _version_fields(spec)
    digest = content_hash(spec.to_dict())
    latest = rule.versions.order_by("-number").first()
    if latest is not None and latest.status == VersionStatus.DRAFT:
        for k, v in fields.items():
            setattr(latest, k, v)
        latest.content_hash = digest
        latest.save()
        version = latest
        action = "rules.draft_update"
    else:
        number = (latest.number if latest else 0) + 1
        version = RuleVersion.objects.create(
            rule=rule, number=number, content_hash=digest, source="网页编辑", created_by=actor, **fields
        )
        action = "rules.draft_create"
    audit_record(actor=actor, action=action, obj=version, detail={"rule": rule.id, "number": version.number})
    return version


@transaction.atomic
def rule_version_publish(*, version: RuleVersion, actor: Any) -> RuleVersion:
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise IllegalTransition(
            f"只有草稿可以发布，第{version.number}版当前为“{version.get_status_display()}”。"
        )
    version.to_spec()  # refuses an invalid rule
    _publish(version, actor)
    audit_record(actor=actor, action="rules.publish", obj=version, detail={"rule": version.rule_id})
    return version


@transaction.atomic
def rule_version_retire(*, version: RuleVersion, actor: Any, reason: str = "") -> RuleVersion:
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise IllegalTransition(
            f"只有已发布的版本可以停用，第{version.number}版当前为“{version.get_status_display()}”。"
        )
    version.status = VersionStatus.RETIRED
    version.retired_at = clock.now()
    version.save(update_fields=["status", "retired_at"])
    audit_record(
        actor=actor, action="rules.retire", obj=version, detail={"rule": version.rule_id, "reason": reason}
    )
    return version


def version_data(version: RuleVersion) -> dict:
    """A version's editable data (the engine's dict form)."""
    return version.to_dict()


# ---------------------------------------------------------------------------------------------
# matching runs
# ---------------------------------------------------------------------------------------------
def published_versions(as_of: dt.date | None = None) -> list[RuleVersion]:
    """Published versions (in force on ``as_of`` when given)."""
    versions = list(RuleVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("rule"))
    if as_of is None:
        return versions
    return [v for v in versions if v.to_spec().in_force(as_of)]


def _pg_connection():
    connection.ensure_connection()
    return connection.connection


def evaluate_versions(
    versions: list[RuleVersion],
    as_of: dt.date,
    *,
    engine: str = "duckdb",
    keep: str = "relevant",
    snapshot=None,
) -> tuple[pl.DataFrame, Any]:
    """Evaluate versions over every enterprise; returns (result frame, snapshot or None)."""
    from tongchou.facts.selectors import snapshot_as_of, snapshot_sql

    specs = [v.to_spec() for v in versions]
    if engine == "postgres":
        if connection.vendor != "postgresql":
            raise ValidationFailed("库内比对需要 PostgreSQL 数据库。", code="engine_unavailable")
        result = evaluate(
            specs, None, as_of, engine="postgres", connection=_pg_connection(), source=snapshot_sql(as_of),
            keep=keep,
        )  # fmt: skip
        return result, snapshot
    snap = snapshot or snapshot_as_of(as_of)
    result = evaluate(specs, snap.frame, as_of, engine="duckdb", keep=keep)
    return result, snap


def _num(v) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _trace_for(spec_info: dict, condition_values: list, facts_row: dict, meta: dict) -> tuple[list, dict]:
    """Per-condition trace (label, expression, result, the facts it read with their values) and the
    fact snapshot (value, as-of date, source) of every fact the rule read. A derived fact (the
    registry's derivation) without a stored value is computed from the row, dated by its newest
    input, and sourced as the derivation's note (由参保人数推算)."""
    from tongchou.rules.engine.derive import derive_one

    registry = current()
    used: dict[str, dict] = {}

    def fv(name: str) -> dict:
        f = registry[name]
        value = facts_row.get(name)
        on, source = meta.get(name, ("", ""))
        if f.derivation is not None:
            if value is None:
                value = derive_one(name, facts_row)
                if isinstance(value, float):
                    value = round(value, 6)
            if not source:
                on = max((meta.get(n, ("", ""))[0] for n in f.derivation.inputs), default="")
                source = f.derivation.note
        used[name] = {"value": _num(value), "as_of": on, "source": source}
        return {"name": name, "label": f.label, "unit": f.unit, "value": _num(value)}

    trace = []
    for j, (cond, facts) in enumerate(spec_info["conditions"]):
        trace.append(
            {
                "label": cond.label,
                "expression": cond.expression,
                "result": condition_values[j] if j < len(condition_values) else None,
                "facts": [fv(n) for n in facts],
            }
        )
    for n in spec_info["formula_facts"]:
        fv(n)
    return trace, used


def _spec_info(version: RuleVersion) -> dict:
    spec = version.to_spec()
    conds = spec.compiled_conditions()
    formula = spec.compiled_formula()
    return {
        "spec": spec,
        "conditions": list(zip(spec.conditions, [c.facts for c in conds], strict=True)),
        "formula_facts": list(formula.facts) if formula else [],
    }


def _d(x) -> Decimal | None:
    return None if x is None else Decimal(str(round(float(x), 2)))


def match_run(
    *, as_of: dt.date, actor: Any = None, trigger: str = "manual", engine: str = "duckdb", push: bool = True
) -> MatchRun:
    """Evaluate every published rule in force on ``as_of`` over every enterprise, store the
    decisions (eligible, unknown and near misses), compare with the previous run, open deliveries
    for new automatic benefits and notify each enterprise of what is new."""
    from tongchou.enterprises.models import Enterprise

    # compare with the last run that evaluated something (an empty run must not make everything "new")
    previous = (
        MatchRun.objects.filter(status=RunStatus.DONE, rules__gt=0).order_by("-finished_at", "-id").first()
    )
    run = MatchRun.objects.create(
        as_of=as_of, engine=engine, trigger=trigger, previous=previous,
        triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    try:
        versions = published_versions(as_of)
        result, snap = evaluate_versions(versions, as_of, engine=engine, keep="relevant")
        if snap is None:
            from tongchou.facts.selectors import snapshot_as_of

            snap = snapshot_as_of(as_of)
        with transaction.atomic():
            _store_run(run, versions, result, snap, previous, push=push)
        audit_record(
            actor=actor, action="rules.match_run", obj=run,
            detail={"as_of": as_of.isoformat(), "engine": engine, "eligible": run.eligible, "new": run.new_eligible},
        )  # fmt: skip
    except Exception as err:
        run.status = RunStatus.FAILED
        run.error = str(err)[:2000]
        run.finished_at = clock.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.enterprises = Enterprise.objects.count()
    run.save(update_fields=["enterprises"])
    return run


def _store_run(run: MatchRun, versions, result: pl.DataFrame, snap, previous, *, push: bool) -> None:
    by_key = {(v.rule_id, v.number): v for v in versions}
    infos = {v.pk: _spec_info(v) for v in versions}
    ids = snap.enterprise_ids
    needed = set(result.get_column("uscc").to_list()) if result.height else set()
    rows = {r["uscc"]: r for r in snap.frame.filter(pl.col("uscc").is_in(list(needed))).iter_rows(named=True)}
    prev: dict[tuple[int, str], tuple[str, Decimal | None]] = {}
    if previous is not None:
        for e, r, s, a in previous.decisions.values_list("enterprise_id", "rule_id", "status", "amount"):
            prev[(e, r)] = (s, a)
    decisions = []
    total = Decimal(0)
    counts = defaultdict(int)
    for row in result.iter_rows(named=True):
        ent_id = ids.get(row["uscc"])
        version = by_key.get((row["rule_id"], row["rule_version"]))
        if ent_id is None or version is None:
            continue
        info = infos[version.pk]
        trace, used = _trace_for(
            info, row["condition_values"] or [], rows.get(row["uscc"], {}), snap.meta.get(ent_id, {})
        )
        status = row["status"]
        amount = _d(row["amount_yuan"])
        before = prev.get((ent_id, row["rule_id"]))
        if before is None or before[0] != status:
            change = "new"
        elif before[1] != amount:
            change = "changed"
        else:
            change = "same"
        near = None
        if row["near_miss"]:
            j = next((k for k, c in enumerate(row["condition_values"] or []) if c is False), None)
            near = {
                "condition": j,
                "label": info["spec"].conditions[j].label if j is not None else "",
                "fact": row["near_miss_fact"],
                "fact_label": current().label(row["near_miss_fact"]) if row["near_miss_fact"] else "",
                "unit": current().unit(row["near_miss_fact"]) if row["near_miss_fact"] else "",
                "value": row["near_miss_value"],
                "threshold": row["near_miss_threshold"],
                "gap": row["near_miss_gap"],
            }
        decisions.append(
            Decision(
                run=run,
                enterprise_id=ent_id,
                rule_version=version,
                rule_id=row["rule_id"],
                status=status,
                amount=amount,
                benefit_value=_d(row["benefit_value"]),
                explanation=row["explanation"] or "",
                trace=trace,
                facts=used,
                missing_facts=list(row["missing_facts"] or []),
                failed_conditions=row["failed_conditions"] or 0,
                near_miss=near,
                is_new=(status == "eligible" and change in ("new", "changed")),
                change=change,
            )  # fmt: skip
        )
        counts[status] += 1
        if near is not None:
            counts["near"] += 1
        if status == "eligible" and amount is not None:
            total += amount
    _insert_decisions(decisions)
    new = [d for d in decisions if d.is_new]
    run.eligible = counts["eligible"]
    run.unknown = counts["unknown"]
    run.near_misses = counts["near"]
    run.new_eligible = len(new)
    run.rules = len(versions)
    run.total_amount = total
    # the rows that open cases or notifications, read back with their primary keys
    followed = list(
        Decision.objects.filter(run=run)
        .filter(models.Q(status="eligible") | models.Q(is_new=True))
        .select_related("rule_version")
    )
    run.notified = _open_deliveries_and_notify(run, followed, push=push)
    run.status = RunStatus.DONE
    run.finished_at = clock.now()
    run.save()


_DECISION_COLUMNS = (
    "run_id", "enterprise_id", "rule_version_id", "rule_id", "status", "amount", "benefit_value", "explanation",
    "trace", "facts", "missing_facts", "failed_conditions", "near_miss", "is_new", "change",
)  # fmt: skip
_JSON_COLUMNS = {"trace", "facts", "missing_facts", "near_miss"}


def _insert_decisions(decisions: list[Decision], batch: int = 2000) -> None:
    """A plain multi-row INSERT: Django's bulk_create spends most of a large run preparing values
    field by field; here JSON is serialised once and the rows go in with executemany."""
    table = Decision._meta.db_table
    cols = ", ".join(connection.ops.quote_name(c) for c in _DECISION_COLUMNS)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(_DECISION_COLUMNS))})"

    def value(d: Decision, col: str):
        v = getattr(d, col)
        if col in _JSON_COLUMNS:
            return None if v is None else json.dumps(v, ensure_ascii=False, default=str)
        return v

    rows = [tuple(value(d, c) for c in _DECISION_COLUMNS) for d in decisions]
    with connection.cursor() as cur:
        for i in range(0, len(rows), batch):
            cur.executemany(sql, rows[i : i + batch])


def publicity_days_default() -> int:
    return settings.TONGCHOU_PUBLICITY_WORKING_DAYS


def _open_deliveries_and_notify(run: MatchRun, decisions: list[Decision], *, push: bool) -> int:
    from django.urls import reverse

    from tongchou.core.notifications import notify
    from tongchou.enterprises.models import Enterprise

    eligible = [d for d in decisions if d.status == "eligible"]
    auto = [d for d in eligible if d.rule_version.delivery == "automatic"]
    existing: dict[tuple[int, str], Delivery] = {}
    if auto:
        for dlv in Delivery.objects.filter(
            rule_id__in={d.rule_id for d in auto}, enterprise_id__in={d.enterprise_id for d in auto}
        ):
            key = (dlv.enterprise_id, dlv.rule_id)
            if dlv.is_open or dlv.status == DeliveryStatus.PAID or key not in existing:
                existing[key] = dlv
    # refresh awaiting cases with the newest decision; open new cases
    days = publicity_days_default()
    new_deliveries = []
    for d in auto:
        dlv = existing.get((d.enterprise_id, d.rule_id))
        if dlv is None or dlv.status in (DeliveryStatus.DECLINED, DeliveryStatus.REJECTED) and d.is_new:
            new_deliveries.append(
                Delivery(
                    enterprise_id=d.enterprise_id,
                    decision=d,
                    rule_version=d.rule_version,
                    rule_id=d.rule_id,
                    amount=d.amount,
                    publicity_days=days,
                )  # fmt: skip
            )
        elif dlv.status == DeliveryStatus.AWAITING_CONFIRMATION and dlv.decision_id != d.pk:
            dlv.decision = d
            dlv.rule_version = d.rule_version
            dlv.amount = d.amount
            dlv.save(update_fields=["decision", "rule_version", "amount"])
    created = Delivery.objects.bulk_create(new_deliveries, batch_size=2000)
    DeliveryEvent.objects.bulk_create(
        [
            DeliveryEvent(
                delivery=dlv,
                from_status="",
                to_status=DeliveryStatus.AWAITING_CONFIRMATION,
                action="match",
                actor_label="数据比对",
                reason=f"比对运行 #{run.pk}（截至 {run.as_of}）符合条件",
                detail={"run": run.pk, "decision": dlv.decision_id},
            )  # fmt: skip
            for dlv in created
        ],
        batch_size=2000,
    )
    if not push:
        return 0
    by_ent: dict[int, list[Decision]] = defaultdict(list)
    for d in decisions:
        if d.is_new:
            by_ent[d.enterprise_id].append(d)
    if not by_ent:
        return 0
    link = reverse("rules:my_policies")
    ents = Enterprise.objects.in_bulk(list(by_ent))
    for ent_id, items in by_ent.items():
        total = sum((d.amount or 0) for d in items)
        lines = [
            f"· {d.rule_version.name}" + (f"：{d.amount:,.2f} 元" if d.amount is not None else "")
            for d in items
        ]
        title = f"您有 {len(items)} 项新的可享受政策" + (f"，合计约 {total:,.2f} 元" if total else "")
        body = "根据截至 {} 的数据比对：\n{}\n免申即享的政策请在“我可享受的政策”中确认。".format(
            run.as_of, "\n".join(lines)
        )
        notify(enterprise=ents[ent_id], title=title, body=body, kind="rules.match", link=link)
    return len(by_ent)


# ---------------------------------------------------------------------------------------------
# the delivery cycle (数据比对 → 意愿确认 → 公示 → 异议 → 拨付)
# ---------------------------------------------------------------------------------------------
# Every move is one core.workflow.transition over rules/states.py's WORKFLOW (lock, who may, the
# state table and guards, changes, DeliveryEvent + audit entry, notifications after commit).


def _move(delivery: Delivery, action: str, **kwargs: Any) -> Delivery:
    return transition(DELIVERY_WORKFLOW, delivery, action, **kwargs)


def delivery_confirm(*, delivery: Delivery, user: Any) -> Delivery:
    """The enterprise confirms it wants the benefit (意愿确认)."""
    return _move(
        delivery,
        "confirm",
        actor=user,
        reason="企业确认享受",
        changes=lambda d: {"confirmed_at": clock.now()},
    )


def delivery_decline(*, delivery: Delivery, user: Any, reason: str = "") -> Delivery:
    return _move(delivery, "decline", actor=user, reason=reason or "企业放弃享受")


def delivery_start_publicity(*, delivery: Delivery, actor: Any, days: int | None = None,
                             start: dt.date | None = None) -> Delivery:  # fmt: skip
    """Put a confirmed case on the publicity list for ``days`` working days (公示)."""
    from tongchou.workdays.services import calendar

    days = days or delivery.publicity_days or publicity_days_default()
    if days < 1 or days > 60:
        raise ValidationFailed("公示期应为 1 到 60 个工作日。", code="publicity_days")
    start = start or clock.today()
    end = calendar().add_working_days(start, days)
    return _move(
        delivery,
        "start_publicity",
        actor=actor,
        reason=f"公示 {days} 个工作日，至 {end}",
        detail={"start": start.isoformat(), "end": end.isoformat()},
        changes={"publicity_days": days, "publicity_start": start, "publicity_end": end},
    )


def _notify_publicity_starter(delivery: Delivery, text: str) -> None:
    from django.urls import reverse

    from tongchou.core.notifications import notify

    started = delivery.events.filter(to_status=DeliveryStatus.IN_PUBLICITY, actor__isnull=False).last()
    if started is not None:
        notify(
            user=started.actor, kind="rules.objection", title=f"公示异议：{delivery.enterprise.name}",
            body=f"“{delivery.rule_version.name}”公示期间收到异议：{text[:200]}",
            link=reverse("rules:delivery_detail", args=[delivery.pk]),
        )  # fmt: skip


def objection_lodge(
    *, delivery: Delivery, text: str, name: str = "", contact: str = "", user: Any = None
) -> Objection:
    """Anyone (also the anonymous public) may object while a case is on publicity."""
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationFailed("请写明异议的具体内容（至少 5 个字）。", code="objection_text")
    with transaction.atomic():
        objection = Objection.objects.create(
            delivery_id=delivery.pk, lodged_by=user if getattr(user, "is_authenticated", False) else None,
            name=name.strip()[:64], contact=contact.strip()[:40], text=text,
        )  # fmt: skip
        _move(
            delivery,
            "object",
            actor=user,
            reason="公示期间收到异议",
            detail={"objection": objection.pk},
            notify=lambda d, move: _notify_publicity_starter(d, text),
        )
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, actor: Any, upheld: bool, resolution: str) -> Objection:
    """A department resolves an objection: upheld → the case is refused; dismissed → publicity
    resumes (once no objection is open)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise IllegalTransition("该异议已处理。")
    if not (resolution or "").strip():
        raise ValidationFailed("请填写处理意见。", code="resolution_missing")
    delivery = workflow_lock(DELIVERY_WORKFLOW, objection.delivery)
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolved_by, objection.resolved_at, objection.resolution = (
        actor,
        clock.now(),
        resolution.strip(),
    )
    objection.save()
    if upheld:

        def tell_enterprise(d: Delivery, move: Any) -> None:
            from tongchou.core.notifications import notify

            notify(
                enterprise=d.enterprise, kind="rules.rejected", title=f"公示异议成立：{d.rule_version.name}",
                body=f"经核实，公示期间的异议成立，本次不予兑现。处理意见：{resolution}",
            )  # fmt: skip

        _move(delivery, "uphold", actor=actor, reason=f"异议成立：{resolution}", notify=tell_enterprise)
        delivery.objections.filter(status=ObjectionStatus.OPEN).update(
            status=ObjectionStatus.UPHELD,
            resolved_by=actor,
            resolved_at=clock.now(),
            resolution="随同另一异议成立",
        )
    elif not delivery.objections.filter(status=ObjectionStatus.OPEN).exists():
        _move(delivery, "dismiss", actor=actor, reason=f"异议不成立：{resolution}")
    return objection


def delivery_close_publicity(
    *, delivery: Delivery, actor: Any = None, today: dt.date | None = None
) -> Delivery:
    return _move(
        delivery,
        "close_publicity",
        actor=actor,
        reason="公示期满无异议",
        params={"today": today or clock.today()},
        actor_label_fallback="" if actor else "系统",
    )


def publicity_close_due(*, today: dt.date | None = None) -> int:
    """Close every publicity whose period has passed with no open objection (scheduled)."""
    today = today or clock.today()
    n = 0
    for dlv in Delivery.objects.filter(status=DeliveryStatus.IN_PUBLICITY, publicity_end__lt=today):
        delivery_close_publicity(delivery=dlv, today=today)
        n += 1
    return n


def delivery_approve_payout(*, delivery: Delivery, actor: Any, amount: Decimal | float | str | None = None,
                            paid_on: dt.date | None = None, account: str = "") -> Delivery:  # fmt: skip
    """Approve and record the payout (拨付): amount, date, masked account, approver."""
    with transaction.atomic():
        delivery = workflow_lock(DELIVERY_WORKFLOW, delivery)
        DELIVERY_WORKFLOW.check(delivery.status, "pay")  # a wrong state before a wrong amount
        try:
            value = Decimal(str(amount)) if amount not in (None, "") else delivery.amount
        except Exception:
            raise ValidationFailed(f"拨付金额“{amount}”不是数字。", code="payout_amount") from None
        if value is None or value <= 0:
            raise ValidationFailed("拨付金额必须大于 0。", code="payout_amount")
        if delivery.amount is not None and value > delivery.amount:
            raise ValidationFailed(
                f"拨付金额不能超过核定金额 {delivery.amount:,.2f} 元。", code="payout_amount"
            )
        digits = "".join(ch for ch in (account or "") if ch.isdigit())
        if len(digits) < 8:
            raise ValidationFailed("请填写收款银行账号（至少 8 位数字）。", code="payout_account")
        paid_on = paid_on or clock.today()
        masked = mask_account(digits)

        def tell_enterprise(d: Delivery, move: Any) -> None:
            from tongchou.core.notifications import notify

            notify(
                enterprise=d.enterprise, kind="rules.paid", title=f"政策资金已拨付：{value:,.2f} 元",
                body=f"“{d.rule_version.name}”资金已于 {d.paid_on} 拨付至账户 {d.account_masked}。",
            )  # fmt: skip

        return _move(
            delivery,
            "pay",
            actor=actor,
            reason=f"拨付 {value:,.2f} 元",
            detail={"amount": str(value), "paid_on": paid_on.isoformat(), "account": masked},
            changes={
                "payout_amount": value,
                "paid_on": paid_on,
                "account_masked": masked,
                "approved_by": actor,
                "approved_at": clock.now(),
            },
            notify=tell_enterprise,
        )


def delivery_for_enterprise_user(user: Any, delivery_id: int) -> Delivery:
    dlv = Delivery.objects.filter(
        pk=delivery_id, enterprise_id=getattr(user, "enterprise_id", None) or -1
    ).first()
    if dlv is None:
        raise NotFound("找不到该兑现事项。")
    return dlv


def ensure_staff(user: Any) -> None:
    from tongchou.accounts.roles import role_of

    if role_of(user) not in ("department", "admin"):
        raise PermissionDenied("只有部门工作人员和管理员可以办理。")
