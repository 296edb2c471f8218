"""The shipped rule pack: structure, every example, and every threshold of every rule
(just below, at, just above), on the vectorised engine against the plain-Python oracle."""

import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest

from tongchou.rules.engine import comparisons, evaluate, explain, load_rules, prepare_facts
from tongchou.rules.engine.reference import derive, evaluate_rule

PACK = Path(__file__).resolve().parents[1] / "pack"
RULES = load_rules(PACK)
BY_ID = {r.id: r for r in RULES}
SEVEN = [
    "zhoucun.rent_waiver",
    "zhoucun.tech_renovation_subsidy",
    "zhoucun.equipment_purchase_subsidy",
    "zhoucun.job_retention_refund",
    "zhoucun.job_placement_subsidy",
    "zhoucun.incubator_operating_subsidy",
    "jinan.social_insurance_exemption",
]


def run_one(rule, facts: dict, as_of: dt.date):
    frame = prepare_facts(pl.DataFrame([{"uscc": "X", **facts}]))
    result = evaluate([rule], frame, as_of)
    return result.row(0, named=True) if result.height else None


def test_pack_has_at_least_30_rules_each_citing_a_measure_of_a_seed_document():
    assert len(RULES) >= 30
    slugs = {"zhoucun-2020-8", "jinan-2020-opinions", "zibo-2020-opinions"}
    assert {r.document_slug for r in RULES} == slugs
    assert len({r.id for r in RULES}) == len(RULES)


def test_the_seven_required_rules_exist_with_their_measures():
    assert set(SEVEN) <= set(BY_ID)
    assert BY_ID["zhoucun.rent_waiver"].measure_id == "zhoucun-2020-8/13"
    assert BY_ID["zhoucun.tech_renovation_subsidy"].measure_id == "zhoucun-2020-8/13"
    assert BY_ID["zhoucun.equipment_purchase_subsidy"].measure_id == "zhoucun-2020-8/13"
    assert BY_ID["zhoucun.job_retention_refund"].measure_id == "zhoucun-2020-8/14"
    assert BY_ID["zhoucun.job_placement_subsidy"].measure_id == "zhoucun-2020-8/15"
    assert BY_ID["zhoucun.incubator_operating_subsidy"].measure_id == "zhoucun-2020-8/18"
    assert BY_ID["jinan.social_insurance_exemption"].measure_id == "jinan-2020-opinions/16"


def test_every_rule_round_trips_through_dict():
    from tongchou.rules.engine import RuleSpec

    for r in RULES:
        assert RuleSpec.from_dict(r.to_dict()) == r


EXAMPLES = [(r.id, i) for r in RULES for i in range(len(r.examples))]


@pytest.mark.parametrize(("rule_id", "index"), EXAMPLES, ids=[f"{r}#{i}" for r, i in EXAMPLES])
def test_rule_examples_hold_on_engine_and_tracer(rule_id, index):
    rule = BY_ID[rule_id]
    ex = rule.examples[index]
    as_of = ex.as_of or rule.effective_from
    row = run_one(rule, ex.facts, as_of)
    assert row["status"] == ex.status, row["explanation"]
    (trace,) = explain([rule], ex.facts, as_of)
    assert trace.status == ex.status
    if ex.amount is not None:
        assert row["benefit_value"] == pytest.approx(ex.amount)
        assert trace.benefit_value == pytest.approx(ex.amount)


def _eps(t: float) -> float:
    if t == 0 or (float(t).is_integer() and abs(t) >= 1):
        return 1.0
    return 10 ** (math.floor(math.log10(abs(t))) - 2)


def _threshold_cases():
    cases = []
    for rule in RULES:
        base = next(ex for ex in rule.examples if ex.status == "eligible")
        for cond in rule.compiled_conditions():
            for cmp in comparisons(cond.tree):
                for t in cmp.literals():
                    for label, delta in (("below", -_eps(t)), ("at", 0.0), ("above", _eps(t))):
                        cases.append((rule.id, cmp.fact, t, label, t + delta))
        formula = rule.compiled_formula()
        if formula is not None and rule.benefit.cap is not None and len(formula.facts) == 1:
            (fact,) = formula.facts
            f0 = {**derive(base.facts), fact: 0.0}
            f1 = {**f0, fact: 1.0}
            from tongchou.rules.engine.reference import evaluate_node

            slope = evaluate_node(formula.tree, f1) - evaluate_node(formula.tree, f0)
            x = rule.benefit.cap / slope
            for label, delta in (("below", -1.0), ("at", 0.0), ("above", 1.0)):
                cases.append((rule.id, fact, x, f"cap-{label}", x + delta))
    return cases


CASES = _threshold_cases()


@pytest.mark.parametrize(
    ("rule_id", "fact", "threshold", "where", "value"),
    CASES,
    ids=[f"{c[0]}:{c[1]}@{c[2]:g}:{c[3]}" for c in CASES],
)
def test_every_threshold_of_every_rule(rule_id, fact, threshold, where, value):
    rule = BY_ID[rule_id]
    base = next(ex for ex in rule.examples if ex.status == "eligible")
    facts = {**base.facts, fact: value}
    if fact in ("insured_employees_prev_year_end", "insured_employees"):
        facts.pop("layoff_rate", None)
    as_of = base.as_of or rule.effective_from
    expected_status, expected_value, _ = evaluate_rule(rule, facts)
    row = run_one(rule, facts, as_of)
    assert row["status"] == expected_status, row["explanation"]
    if expected_status == "eligible" and expected_value is not None:
        assert row["benefit_value"] == pytest.approx(expected_value, abs=0.0051)
    if (
        expected_status == "ineligible"
        and row["failed_conditions"] == 1
        and None not in row["condition_values"]
    ):
        assert row["near_miss"] is True
