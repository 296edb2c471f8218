"""The compiler refuses bad expressions with Chinese messages pointing at the spot, and
generates SQL that means the same on DuckDB and PostgreSQL."""

import duckdb
import pytest

from tongchou.rules.engine import compile_expression
from tongchou.rules.engine.compiler import comparisons, simple_comparison


def errors(text, expect="bool"):
    return compile_expression(text, expect=expect)[1]


def test_unknown_fact_names_line_column_and_suggestion():
    (err,) = errors("layoff_rate <= 1 AND insured_employes > 0")
    assert err.code == "unknown_fact"
    assert err.message == "第1行第22列：未知的事实“insured_employes”，您是否想写“insured_employees”？"
    assert (err.line, err.column) == (1, 22)


def test_unknown_fact_on_second_line():
    (err,) = errors("layoff_rate <= 1\n  AND revenu_wan > 0")
    assert (err.line, err.column) == (2, 7)
    assert "revenue_wan" in err.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("employees > (SELECT 1)", "subquery"),
        ("employees IN (SELECT employees FROM t)", "subquery"),
        ("employees > 1; DROP TABLE x", "statements"),
        ("*", "star"),
        ("name LIKE '%a%'", "function"),
        ("upper(name) = 'A'", "function"),
        ("t.employees > 1", "qualified"),
        ("employees >", "syntax"),
        ("incubator_level = 'county'", "enum_value"),
        ("employees > 'ten'", "type"),
        ("employees + 1", "type"),
        ("employees = NULL", "null_compare"),
        ("", "empty"),
    ],
)
def test_bad_expressions_are_refused(text, code):
    errs = errors(text)
    assert errs, text
    assert errs[0].code == code
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in errs)


def test_formula_must_be_numeric():
    assert errors("is_hr_agency", expect="number")[0].code == "type"
    assert errors("LEAST(0.2 * equipment_purchase, 5000000)", expect="number") == []


@pytest.mark.parametrize(
    "text",
    [
        "COALESCE(employees, 0) BETWEEN 10 AND 20",
        "ABS(ROUND(revenue_wan / 3, 2)) >= 1",
        "GREATEST(employees, insured_employees) > 5 OR size_class IN ('small', 'micro')",
        "CASE WHEN size_class = 'large' THEN 1 ELSE 0 END = 1",
        "registered_on < DATE '2020-01-01' AND NOT is_hr_agency",
        "employees IS NOT NULL",
    ],
)
def test_whitelisted_constructs_compile_for_both_dialects(text):
    compiled, errs = compile_expression(text)
    assert errs == []
    assert compiled.sql("duckdb") and compiled.sql("postgres")


def test_division_by_zero_is_null_not_an_error():
    compiled, _ = compile_expression("revenue_wan / employees", expect="number")
    sql = compiled.sql("duckdb")
    rows = (
        duckdb.connect()
        .execute(f"SELECT {sql} FROM (SELECT 10.0 AS revenue_wan, 0.0 AS employees)")
        .fetchall()
    )
    assert rows == [(None,)]


def test_numbers_are_doubles_so_integer_division_cannot_truncate():
    compiled, _ = compile_expression("employees / 4", expect="number")
    assert "DOUBLE PRECISION" in compiled.sql("postgres")


def test_simple_comparison_flips_number_on_the_left():
    compiled, _ = compile_expression("30 >= insured_employees_prev_year_end")
    cmp = simple_comparison(compiled.tree)
    assert (cmp.fact, cmp.op, cmp.threshold) == ("insured_employees_prev_year_end", "<=", 30.0)


def test_comparisons_find_thresholds_inside_case():
    compiled, _ = compile_expression(
        "layoff_rate <= CASE WHEN insured_employees_prev_year_end <= 30 THEN 0.20 ELSE 0.055 END"
    )
    found = {(c.fact, tuple(c.literals())) for c in comparisons(compiled.tree)}
    assert ("layoff_rate", (0.055, 0.2)) in found
    assert ("insured_employees_prev_year_end", (30.0,)) in found
