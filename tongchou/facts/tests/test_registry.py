"""The fact registry: declarations, derivations declared once, a new derived fact working end to
end in the engine (DuckDB and the tracer) with no code outside its declaration."""

from __future__ import annotations

import ast
import datetime as dt
import pathlib
import sys
import types

import polars as pl
import pytest

from tongchou.facts.frames import derive_frame
from tongchou.facts.registry import (
    Derivation,
    Fact,
    FactDeclarationError,
    FactRegistry,
    FactType,
    current,
    default_registry,
    discover,
    using,
)
from tongchou.rules.engine import RuleError, RuleSpec, evaluate, explain
from tongchou.rules.engine.derive import derive

N, B = FactType.NUMBER, FactType.BOOL
ROOT = pathlib.Path(__file__).resolve().parents[2]
AS_OF = dt.date(2020, 4, 1)


def test_the_catalogue_is_sound_and_keeps_its_names():
    reg = default_registry()
    assert reg.problems() == []
    for name in (
        "uscc",
        "region_code",
        "insured_employees",
        "layoff_rate",
        "size_class",
        "emergency_loan_rate",
    ):
        assert name in reg
    assert reg["layoff_rate"].derivation.kind == "expression"
    assert reg["size_class"].derivation.kind == "function"
    assert reg.expression_inputs("layoff_rate") == ("insured_employees_prev_year_end", "insured_employees")
    assert reg.label("layoff_rate") == "裁员率" and reg.label("no_such_fact") == "no_such_fact"


def _code_strings(path: pathlib.Path) -> list[str]:
    """String constants of a module's code (docstrings left out: prose may name any fact)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def test_no_code_outside_the_declaration_names_a_derived_fact():
    """layoff_rate used to be special-cased in seven places; now only its declaration names it
    (the rule pack, templates' examples and tests may use it like any fact)."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts or rel == pathlib.Path("facts/catalogue.py"):
            continue
        if any("layoff_rate" in s for s in _code_strings(path)):
            offenders.append(str(rel))
    assert offenders == []


def test_declaring_twice_the_same_is_fine_differently_is_refused():
    a = Fact("x_count", N, "某计数", unit="个")
    reg = FactRegistry([a])
    reg.register(Fact("x_count", N, "某计数", unit="个"))
    assert len(reg) == 1
    with pytest.raises(FactDeclarationError, match="declared twice"):
        reg.register(Fact("x_count", N, "另一个标签"))


def test_a_derivation_has_exactly_one_way():
    with pytest.raises(FactDeclarationError):
        Derivation(inputs=("a",))
    with pytest.raises(FactDeclarationError):
        Derivation(inputs=("a",), expression="a", function="m:f")


def test_problems_name_unknown_inputs_circles_and_missing_functions():
    reg = FactRegistry(
        [
            Fact("a", N, "甲", derivation=Derivation(inputs=("b",), expression="b + 1")),
            Fact("b", N, "乙", derivation=Derivation(inputs=("a",), expression="a + 1")),
            Fact("c", N, "丙", derivation=Derivation(inputs=("ghost",), expression="ghost")),
            Fact("d", N, "丁", derivation=Derivation(inputs=(), function="no.such.module:fn")),
        ]
    )
    problems = "\n".join(reg.problems())
    assert "ghost" in problems
    assert "circle" in problems
    assert "no.such.module:fn" in problems


def test_missing_names_follow_derivations_down_to_their_missing_inputs():
    reg = default_registry().with_facts(
        Fact(
            "layoff_heavy",
            B,
            "大幅裁员",
            derivation=Derivation(inputs=("layoff_rate",), expression="layoff_rate > 0.2"),
        )
    )
    present = {"insured_employees_prev_year_end": 100.0}
    missing = reg.missing_names("layoff_heavy", lambda n: present.get(n) is None)
    assert missing == ["insured_employees"]  # not layoff_heavy, not layoff_rate
    assert reg.missing_names("insured_employees", lambda n: True) == ["insured_employees"]
    assert reg.expression_inputs("layoff_heavy") == (
        "layoff_rate",
        "insured_employees_prev_year_end",
        "insured_employees",
    )
    assert "layoff_heavy" not in default_registry()  # with_facts copies


def test_apps_declare_facts_in_their_own_module(monkeypatch):
    module = types.ModuleType("fake_app.facts")
    module.FACTS = [Fact("daily_power_kwh", N, "日用电量", unit="千瓦时", source="供电公司")]
    monkeypatch.setitem(sys.modules, "fake_app", types.ModuleType("fake_app"))
    monkeypatch.setitem(sys.modules, "fake_app.facts", module)
    target = FactRegistry(name="test")
    found = discover(["fake_app.facts", "no_such_app_here.facts"], into=target)
    assert found == ["fake_app.facts"]
    assert target["daily_power_kwh"].declared_by == "fake_app.facts"


def test_using_sets_the_current_registry_and_restores_it():
    mine = FactRegistry([Fact("uscc", FactType.TEXT, "统一社会信用代码")], name="mine")
    before = current()
    with using(mine):
        assert current() is mine
    assert current() is before


# --- a new derived fact, declared here and nowhere else ------------------------------------------
REVENUE_PER_HEAD = Fact(
    "revenue_per_head",
    N,
    "人均营业收入",
    "营业收入（元）除以从业人员",
    "derived",
    unit="元",
    derivation=Derivation(
        inputs=("revenue_wan", "employees"),
        expression="CASE WHEN employees > 0 THEN revenue_wan * 10000 / employees END",
        note="由营业收入和从业人员推算",
    ),
)
PRODUCTIVE = Fact(
    "productive",
    B,
    "高人均产出",
    derivation=Derivation(inputs=("revenue_per_head",), expression="revenue_per_head >= 500000"),
)
RULE = {
    "id": "test.productivity_award",
    "name": "高人均产出奖励",
    "measure_id": "zhoucun-2020-8/99",
    "region": "370306",
    "valid_from": "2020-03-01",
    "valid_to": "2020-12-31",
    "delivery": "automatic",
    "conditions": [
        {"label": "人均营业收入不低于30万元", "expression": "revenue_per_head >= 300000"},
        {"label": "高人均产出", "expression": "productive"},
    ],
    "benefit": {"kind": "cash", "formula": "revenue_per_head * 0.01", "cap": 8000},
}


def _population() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "uscc": ["A", "B", "C", "D", "E"],
            "region_code": ["370306", "370306", "370306", "370306", "370306"],
            "revenue_wan": [600.0, 400.0, 100.0, 600.0, None],
            "employees": [10.0, 10.0, 10.0, None, 10.0],
            "revenue_per_head": [None, None, None, None, 900000.0],  # E supplies it: a value wins
        }
    )


def test_a_new_derived_fact_works_end_to_end_without_other_code():
    reg = default_registry().with_facts(REVENUE_PER_HEAD, PRODUCTIVE, name="test")
    with pytest.raises(RuleError, match="revenue_per_head"):
        RuleSpec.from_dict(RULE)  # the platform's registry does not know it
    spec = RuleSpec.from_dict(RULE, registry=reg)
    frame = evaluate([spec], _population(), AS_OF, keep="all", registry=reg)
    got = {r["uscc"]: r for r in frame.iter_rows(named=True)}
    assert got["A"]["status"] == "eligible" and got["A"]["amount_yuan"] == 6000.0  # 600000 × 1 %
    # B: 400,000 per head meets the first condition, not "productive" (≥ 500,000): a near miss
    assert got["B"]["status"] == "ineligible" and got["B"]["condition_values"] == [True, False]
    assert got["C"]["status"] == "ineligible" and got["C"]["near_miss_value"] is None
    # D lacks employees: the missing fact named is the input, not the derived fact
    assert got["D"]["status"] == "unknown"
    assert got["D"]["missing_facts"] == ["employees"]
    assert got["D"]["explanation"].startswith("需补充：从业人员")
    # E supplied revenue_per_head: used although revenue_wan is missing; the cap applies
    assert got["E"]["status"] == "eligible" and got["E"]["amount_yuan"] == 8000.0
    # the tracer computes the same from the same declaration
    for row in _population().iter_rows(named=True):
        [trace] = explain([spec], row, AS_OF, registry=reg)
        assert trace.status == got[row["uscc"]]["status"]
        assert trace.explanation == got[row["uscc"]]["explanation"]
    assert derive({"revenue_wan": 600.0, "employees": 10.0}, registry=reg)["revenue_per_head"] == 600000.0


def test_a_function_derivation_fills_a_frame_where_values_are_missing():
    def double(df: pl.DataFrame):
        return df.get_column("employees") * 2 if "employees" in df.columns else None

    reg = FactRegistry(
        [
            Fact("employees", N, "从业人员"),
            Fact("seats", N, "工位", derivation=Derivation(inputs=("employees",), function=double)),
        ]
    )
    df = pl.DataFrame({"employees": [1.0, 2.0, None], "seats": [9.0, None, None]})
    out = derive_frame(df, registry=reg)
    assert out.get_column("seats").to_list() == [9.0, 4.0, None]
    assert derive_frame(pl.DataFrame({"other": [1]}), registry=reg).columns == ["other"]
