"""The tracer: why one enterprise is (not) eligible, condition by condition.

``explain(rules, facts, as_of)`` returns one :class:`RuleTrace` per rule in force whose
region covers the enterprise: each condition's label, expression, the facts it read with
their values, and its result (True/False/None = unknown); the benefit formula and amount;
missing facts; the near miss; and the same Chinese explanation the vectorised engine gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from tongchou.facts.registry import current, registry_argument

from .evaluate import RulePlan, _fmt_money, template_parts
from .reference import derive, evaluate_node
from .spec import RuleSpec, rules_in_force


@dataclass
class FactValue:
    name: str
    label: str
    value: object
    unit: str = ""
    derived: bool = False

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass
class ConditionTrace:
    index: int
    label: str
    expression: str
    facts: list[FactValue]
    result: bool | None  # None = unknown (a fact it needs is missing)
    comparison: dict | None = None  # {fact, op, threshold, value, gap} for fact-vs-number conditions


@dataclass
class RuleTrace:
    rule_id: str
    rule_version: int
    name: str
    measure_id: str
    status: str  # eligible | unknown | ineligible
    benefit_kind: str
    benefit_description: str
    formula: str | None
    cap: float | None
    benefit_value: float | None
    amount_yuan: float | None  # cash and eligible only
    formula_facts: list[FactValue]
    conditions: list[ConditionTrace]
    failed_conditions: int
    missing_facts: list[FactValue]
    near_miss: dict | None
    delivery: str
    materials: list[str]
    valid_from: str | None
    valid_to: str | None
    explanation: str = ""
    summary: str = field(default="")

    def to_dict(self) -> dict:
        d = asdict(self)
        for group in ("formula_facts", "missing_facts"):
            for fv in d[group]:
                fv["value"] = _jsonable(fv["value"])
        for c in d["conditions"]:
            for fv in c["facts"]:
                fv["value"] = _jsonable(fv["value"])
        return d


def _jsonable(v):
    return v.isoformat() if isinstance(v, dt.date) else v


def _fact_value(name: str, facts: dict) -> FactValue:
    f = current()[name]
    return FactValue(name, f.label, facts.get(name), f.unit, f.derived)


def _missing_names(name: str, facts: dict) -> list[str]:
    """What to ask for when ``name`` is missing (a derived fact: its missing inputs)."""
    return current().missing_names(name, lambda n: facts.get(n) is None)


def _fmt(x: float) -> str:
    """Same text as evaluate._fmt_number (polars rounding), so both paths agree."""
    from .evaluate import _fmt_number

    return pl.select(_fmt_number(pl.lit(float(x), dtype=pl.Float64))).item()


@registry_argument
def explain(
    rules: list[RuleSpec], facts: dict, as_of: dt.date, *, include_out_of_region: bool = False
) -> list[RuleTrace]:
    """Trace every rule in force on ``as_of`` for one enterprise's ``facts`` (a dict of fact
    name → value; missing keys or None = missing)."""
    registry = current()
    f = derive(facts)
    region = f.get("region_code")
    traces: list[RuleTrace] = []
    for spec in rules_in_force(list(rules), as_of):
        if region is not None and not str(region).startswith(spec.region) and not include_out_of_region:
            continue
        plan = RulePlan.of(spec)
        cond_traces: list[ConditionTrace] = []
        missing: list[str] = []
        for j, (c, compiled, cmp) in enumerate(
            zip(spec.conditions, plan.conditions, plan.comparisons, strict=True)
        ):
            result = evaluate_node(compiled.tree, f)
            comparison = None
            if cmp is not None:
                value = f.get(cmp.fact)
                threshold = evaluate_node(cmp.rhs, f)
                comparison = {
                    "fact": cmp.fact,
                    "op": cmp.op,
                    "threshold": threshold,
                    "value": value,
                    "gap": round(abs(value - threshold), 6)
                    if value is not None and threshold is not None and result is False
                    else None,
                }
            cond_traces.append(
                ConditionTrace(
                    j, c.label, c.expression, [_fact_value(n, f) for n in compiled.facts], result, comparison
                )
            )
            if result is None:
                for n in compiled.facts:
                    missing += [m for m in _missing_names(n, f) if m not in missing]
        value = None
        formula_facts: list[FactValue] = []
        if plan.formula is not None:
            formula_facts = [_fact_value(n, f) for n in plan.formula.facts]
            value = evaluate_node(plan.formula.tree, f)
            if value is not None:
                value = max(0.0, float(value))
                if spec.benefit.cap is not None:
                    value = min(value, spec.benefit.cap)
        results = [c.result for c in cond_traces]
        failed = sum(1 for r in results if r is False)
        cash_unknown = spec.benefit.kind == "cash" and plan.formula is not None and value is None
        if failed:
            status = "ineligible"
        elif any(r is None for r in results) or region is None or cash_unknown:
            status = "unknown"
        else:
            status = "eligible"
        if status != "unknown":
            missing = []
        else:
            if region is None:
                missing.append("region_code")
            if cash_unknown and plan.formula is not None:
                for n in plan.formula.facts:
                    missing += [m for m in _missing_names(n, f) if m not in missing]
        near: dict[str, Any] | None = None
        nm_cond = None
        if failed == 1 and not any(r is None for r in results) and region is not None:
            nm_cond = next(j for j, r in enumerate(results) if r is False)
            cmp = plan.comparisons[nm_cond]
            near = {"condition": nm_cond, "label": spec.conditions[nm_cond].label}
            threshold = evaluate_node(cmp.rhs, f) if cmp is not None else None
            if cmp is not None and f.get(cmp.fact) is not None and threshold is not None:
                near.update(
                    fact=cmp.fact,
                    value=f[cmp.fact],
                    threshold=threshold,
                    gap=pl.select(pl.lit(abs(f[cmp.fact] - threshold), dtype=pl.Float64).round(6)).item(),
                )
        shown = value if status == "eligible" else None
        shape, parts = template_parts(plan, status, results, missing, nm_cond)
        money = None
        if shown is not None:
            money, text_amount = pl.select(
                pl.lit(shown, dtype=pl.Float64).round(2).alias("v"),
                _fmt_money(pl.lit(shown, dtype=pl.Float64)).alias("t"),
            ).row(0)
        if shape == 1:
            text = parts[0] + text_amount + parts[1]
        elif shape == 2:
            assert near is not None  # shape 2 is the near-miss text
            text = (
                parts[0] + _fmt(near["value"]) + parts[1] + _fmt(near["threshold"]) + parts[2]
                + _fmt(near["gap"]) + parts[3]
            )  # fmt: skip
        else:
            text = parts[0]
        traces.append(
            RuleTrace(
                rule_id=spec.id,
                rule_version=spec.version,
                name=spec.name,
                measure_id=spec.measure_id,
                status=status,
                benefit_kind=spec.benefit.kind,
                benefit_description=spec.benefit.description,
                formula=spec.benefit.formula,
                cap=spec.benefit.cap,
                benefit_value=money,
                amount_yuan=money if spec.benefit.kind == "cash" else None,
                formula_facts=formula_facts,
                conditions=cond_traces,
                failed_conditions=failed,
                missing_facts=[FactValue(m, registry.label(m), None, registry.unit(m)) for m in missing],
                near_miss=near,
                delivery=spec.delivery,
                materials=list(spec.materials),
                valid_from=spec.effective_from.isoformat() if spec.effective_from else None,
                valid_to=spec.effective_to.isoformat() if spec.effective_to else None,
                explanation=text,
                summary=spec.summary,
            )
        )
    return traces
