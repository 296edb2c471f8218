"""Vectorised evaluation: three-valued logic, region scope, validity, keep modes, and
agreement with the tracer on a synthetic population."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from tongchou.rules.engine import (
    RuleError,
    RuleSpec,
    evaluate,
    explain,
    load_rules,
    prepare_facts,
    validate_rule,
)
from tongchou.rules.engine.synthetic import population

PACK = Path(__file__).resolve().parents[1] / "pack"
APRIL = dt.date(2020, 4, 1)


def rule(**overrides) -> RuleSpec:
    data = {
        "id": "test.two_conditions",
        "name": "测试规则",
        "measure_id": "zhoucun-2020-8/14",
        "region": "370306",
        "conditions": [
            {"label": "员工超过10人", "expression": "employees > 10"},
            {"label": "人力资源机构", "expression": "is_hr_agency"},
        ],
        "benefit": {"kind": "cash", "formula": "100 * employees", "cap": 5000},
    }
    data.update(overrides)
    return RuleSpec.from_dict(data)


def frame(*rows):
    return prepare_facts(
        pl.DataFrame([{"uscc": f"E{i}", "region_code": "370306", **r} for i, r in enumerate(rows)])
    )


@pytest.mark.parametrize(
    ("employees", "agency", "status", "missing"),
    [
        (20, True, "eligible", []),
        (20, False, "ineligible", []),
        (5, None, "ineligible", []),  # one false condition decides, whatever is missing
        (None, True, "unknown", ["employees"]),
        (20, None, "unknown", ["is_hr_agency"]),
        (None, None, "unknown", ["employees", "is_hr_agency"]),
    ],
)
def test_missing_fact_makes_condition_unknown_not_false(employees, agency, status, missing):
    out = evaluate([rule()], frame({"employees": employees, "is_hr_agency": agency}), APRIL)
    row = out.row(0, named=True)
    assert row["status"] == status
    assert row["missing_facts"] == missing
    if missing:
        assert row["explanation"].startswith("需补充：")


def test_cap_and_amount_only_for_eligible_cash():
    out = evaluate(
        [rule()],
        frame({"employees": 20, "is_hr_agency": True}, {"employees": 80, "is_hr_agency": True}),
        APRIL,
    )
    assert out.get_column("amount_yuan").to_list() == [2000.0, 5000.0]
    out = evaluate(
        [rule(benefit={"kind": "service", "description": "上门服务"})],
        frame({"employees": 20, "is_hr_agency": True}),
        APRIL,
    )
    assert out.row(0, named=True)["amount_yuan"] is None


def test_region_scope_is_a_prefix_and_missing_region_is_unknown():
    df = prepare_facts(
        pl.DataFrame(
            [
                {"uscc": "in-town", "region_code": "370306001", "employees": 20, "is_hr_agency": True},
                {"uscc": "other", "region_code": "370303", "employees": 20, "is_hr_agency": True},
                {"uscc": "nowhere", "region_code": None, "employees": 20, "is_hr_agency": True},
            ]
        )
    )
    out = evaluate([rule()], df, APRIL).sort("uscc")
    assert out.get_column("uscc").to_list() == ["in-town", "nowhere"]
    assert out.get_column("status").to_list() == ["eligible", "unknown"]
    assert out.row(1, named=True)["missing_facts"] == ["region_code"]


def test_validity_window_defaults_to_issue_date_until_year_end():
    r = rule()
    assert r.effective_from == dt.date(2020, 3, 6) and r.effective_to == dt.date(2020, 12, 31)
    df = frame({"employees": 20, "is_hr_agency": True})
    assert evaluate([r], df, dt.date(2020, 3, 5)).height == 0
    assert evaluate([r], df, dt.date(2020, 3, 6)).height == 1
    assert evaluate([r], df, dt.date(2020, 12, 31)).height == 1
    assert evaluate([r], df, dt.date(2021, 1, 1)).height == 0


def test_keep_modes_filter_inside_the_query():
    df = frame(
        {"employees": 20, "is_hr_agency": True},  # eligible
        {"employees": None, "is_hr_agency": True},  # unknown
        {"employees": 5, "is_hr_agency": True},  # near miss
        {"employees": 5, "is_hr_agency": False},  # plain ineligible
    )
    counts = {k: evaluate([rule()], df, APRIL, keep=k).height for k in ("all", "matched", "relevant")}
    assert counts == {"all": 4, "matched": 2, "relevant": 3}


def test_layoff_rate_is_derived_when_absent_and_supplied_value_wins():
    r = rule(conditions=[{"label": "裁员率≤5.5%", "expression": "layoff_rate <= 0.055"}],
             benefit={"kind": "service"})  # fmt: skip
    df = frame(
        {"insured_employees_prev_year_end": 100, "insured_employees": 95},
        {"insured_employees_prev_year_end": 100, "insured_employees": 90},
        {"insured_employees_prev_year_end": 100, "insured_employees": 90, "layoff_rate": 0.01},
        {"insured_employees_prev_year_end": 100, "insured_employees": None},
    )
    out = evaluate([r], df, APRIL).sort("uscc")
    assert out.get_column("status").to_list() == ["eligible", "ineligible", "eligible", "unknown"]
    assert out.row(3, named=True)["missing_facts"] == ["insured_employees"]


def test_tracer_reports_each_condition_with_the_facts_it_read():
    (trace,) = explain([rule()], {"region_code": "370306", "employees": 5, "is_hr_agency": True}, APRIL)
    assert trace.status == "ineligible"
    first, second = trace.conditions
    assert (first.label, first.result, second.result) == ("员工超过10人", False, True)
    assert first.facts[0].name == "employees" and first.facts[0].value == 5
    assert first.comparison == {"fact": "employees", "op": ">", "threshold": 10.0, "value": 5.0, "gap": 5.0}
    assert trace.near_miss["gap"] == 5.0
    assert "差一点" in trace.explanation
    assert trace.to_dict()["conditions"][0]["label"] == "员工超过10人"


def test_engine_and_tracer_agree_on_a_synthetic_population():
    rules = load_rules(PACK)
    df = population(400, seed=7, missing=0.1)
    out = evaluate(rules, df, APRIL)
    index = {(r["uscc"], r["rule_id"]): r for r in out.iter_rows(named=True)}
    checked = 0
    for facts in df.to_dicts():
        for t in explain(rules, facts, APRIL):
            row = index[(facts["uscc"], t.rule_id)]
            assert (row["status"], row["benefit_value"], row["explanation"]) == (
                t.status,
                t.benefit_value,
                t.explanation,
            )
            assert row["missing_facts"] == [m.name for m in t.missing_facts]
            checked += 1
    assert checked == out.height
    assert set(out.get_column("status")) == {"eligible", "unknown", "ineligible"}
    assert out.get_column("near_miss").any()


def test_bad_rule_is_refused_with_every_problem():
    with pytest.raises(RuleError) as info:
        rule(
            id="Bad Id",
            measure_id="zhoucun",
            conditions=[{"label": "x", "expression": "insured_employes > 1"}],
            benefit={"kind": "cash", "formula": "is_hr_agency"},
        )
    codes = {e.code for e in info.value.errors}
    assert {"id", "measure_id", "unknown_fact", "type"} <= codes
    assert "第1行第1列：未知的事实“insured_employes”" in str(info.value)


def test_validate_rule_returns_empty_list_for_a_good_rule():
    assert validate_rule(rule()) == []


def test_apply_rules_need_materials():
    with pytest.raises(RuleError, match="申请材料"):
        rule(delivery="apply")


def test_load_rules_refuses_duplicate_ids(tmp_path):
    text = (PACK / "zibo-2020-opinions.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match="已定义"):
        load_rules(tmp_path)


def test_load_rules_reports_yaml_position(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: x\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match="YAML"):
        load_rules(tmp_path)


def test_size_class_is_derived_from_registry_facts_when_absent():
    pytest.importorskip("tongchou.enterprises.size_class")
    r = rule(conditions=[{"label": "中小微企业", "expression": "size_class IN ('medium', 'small', 'micro')"}],
             benefit={"kind": "service"})  # fmt: skip
    df = frame({"industry_code": "C3562", "employees": 350, "revenue_wan": 2500})
    row = evaluate([r], df, APRIL).row(0, named=True)
    assert row["status"] == "eligible"
    (trace,) = explain(
        [r], {"region_code": "370306", "industry_code": "C3562", "employees": 350, "revenue_wan": 2500}, APRIL
    )
    assert trace.conditions[0].facts[0].value == "medium"


def test_compact_result_renders_exactly_what_evaluate_returns():
    import datetime as _dt

    import polars as _pl

    from tongchou.rules.engine import evaluate as _evaluate
    from tongchou.rules.engine import evaluate_compact, load_rules
    from tongchou.rules.engine.synthetic import population

    rules = load_rules(__import__("pathlib").Path(__file__).resolve().parents[1] / "pack")
    facts = population(2000, seed=5)
    as_of = _dt.date(2020, 4, 1)
    for keep in ("all", "relevant", "matched"):
        full = _evaluate(rules, facts, as_of, keep=keep)
        compact = evaluate_compact(rules, facts, as_of, keep=keep)
        assert compact.height == full.height
        assert compact.to_frame().equals(full)
        batches = _pl.concat(list(compact.iter_frames(777)))
        assert batches.equals(full)
        counts = full.group_by("status").len()
        assert compact.status_counts() == dict(counts.iter_rows())


def test_compact_result_sorted_for_output_orders_by_uscc_then_rule():
    import datetime as _dt

    from tongchou.rules.engine import evaluate_compact, load_rules
    from tongchou.rules.engine.synthetic import population

    rules = load_rules(__import__("pathlib").Path(__file__).resolve().parents[1] / "pack")
    facts = population(500, seed=6).reverse()
    order = {r.id: i for i, r in enumerate(rules)}
    out = (
        evaluate_compact(rules, facts, _dt.date(2020, 4, 1), keep="matched")
        .sorted_for_output(order)
        .to_frame()
    )
    keys = [(u, order[r]) for u, r in out.select("uscc", "rule_id").iter_rows()]
    assert keys == sorted(keys)
