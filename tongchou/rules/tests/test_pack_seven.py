"""The seven rules other tools rely on: status and amount at every threshold, worked out
by hand from the documents (not from the rules' own text)."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from tongchou.rules.engine import evaluate, load_rules, prepare_facts

RULES = {r.id: r for r in load_rules(Path(__file__).resolve().parents[1] / "pack")}
ZC = "370306"
APRIL = dt.date(2020, 4, 1)


def run(rule_id, facts, as_of=APRIL):
    frame = prepare_facts(pl.DataFrame([{"uscc": "91370306MA3C000001", **facts}]))
    out = evaluate([RULES[rule_id]], frame, as_of)
    if out.height == 0:
        return None, None
    row = out.row(0, named=True)
    return row["status"], row["benefit_value"]


@pytest.mark.parametrize(
    ("size", "rent", "status", "amount"),
    [
        ("micro", 4000, "eligible", 12000),
        ("small", 1, "eligible", 3),
        ("medium", 25000.5, "eligible", 75001.5),
        ("large", 4000, "ineligible", None),
        ("small", 0, "ineligible", None),
        (None, 4000, "unknown", None),
        ("small", None, "unknown", None),
    ],
)
def test_rent_waiver_three_months_for_non_large(size, rent, status, amount):
    assert run(
        "zhoucun.rent_waiver", {"region_code": ZC, "size_class": size, "state_owned_rent_monthly": rent}
    ) == (
        status,
        amount,
    )


@pytest.mark.parametrize(
    ("investment", "status", "amount"),
    [
        (0, "ineligible", None),
        (1, "eligible", 0.2),
        (1_000_000, "eligible", 200_000),
        (49_999_999, "eligible", 9_999_999.8),
        (50_000_000, "eligible", 10_000_000),
        (50_000_001, "eligible", 10_000_000),
    ],
)
def test_tech_renovation_20_percent_capped_at_10_million(investment, status, amount):
    got = run(
        "zhoucun.tech_renovation_subsidy", {"region_code": ZC, "epidemic_equipment_investment": investment}
    )
    assert got[0] == status
    assert got[1] == (pytest.approx(amount) if amount is not None else None)


@pytest.mark.parametrize(
    ("purchase", "status", "amount"),
    [
        (0, "ineligible", None),
        (1, "eligible", 0.1),
        (49_999_999, "eligible", 4_999_999.9),
        (50_000_000, "eligible", 5_000_000),
        (50_000_001, "eligible", 5_000_000),
    ],
)
def test_equipment_purchase_10_percent_capped_at_5_million(purchase, status, amount):
    got = run("zhoucun.equipment_purchase_subsidy", {"region_code": ZC, "equipment_purchase": purchase})
    assert got[0] == status
    assert got[1] == (pytest.approx(amount) if amount is not None else None)


@pytest.mark.parametrize(
    ("prev", "now", "paid", "status", "amount"),
    [
        (1000, 946, 40000, "eligible", 20000),  # 5.4%
        (1000, 945, 40000, "eligible", 20000),  # 5.5% exactly
        (1000, 944, 40000, "ineligible", None),  # 5.6%
        (31, 30, 6200, "eligible", 3100),  # 3.2% with 31 insured: the 5.5% line applies
        (31, 29, 6200, "ineligible", None),  # 6.5% with 31 insured
        (30, 25, 6000, "eligible", 3000),  # 16.7% with 30 insured: the 20% line applies
        (30, 24, 6000, "eligible", 3000),  # 20% exactly
        (30, 23, 6000, "ineligible", None),  # 23.3%
        (10, 12, 2000, "eligible", 1000),  # grew: layoff rate 0
        (0, 0, 0, "ineligible", None),  # not insured last year
        (100, 100, None, "unknown", None),  # amount unknown
        (None, 50, 1000, "unknown", None),
    ],
)
def test_job_retention_refund_half_of_last_years_premium(prev, now, paid, status, amount):
    facts = {
        "region_code": ZC,
        "insured_employees_prev_year_end": prev,
        "insured_employees": now,
        "unemployment_insurance_paid_prev_year": paid,
    }
    assert run("zhoucun.job_retention_refund", facts) == (status, amount)


@pytest.mark.parametrize(
    ("rate", "status"), [(0.0549, "eligible"), (0.055, "eligible"), (0.0551, "ineligible")]
)
def test_job_retention_refund_with_a_supplied_layoff_rate(rate, status):
    facts = {"region_code": ZC, "insured_employees_prev_year_end": 200, "layoff_rate": rate,
             "unemployment_insurance_paid_prev_year": 100}  # fmt: skip
    assert run("zhoucun.job_retention_refund", facts)[0] == status


def test_job_retention_near_miss_says_by_how_much():
    frame = prepare_facts(
        pl.DataFrame(
            [
                {
                    "uscc": "A",
                    "region_code": ZC,
                    "insured_employees_prev_year_end": 100,
                    "insured_employees": 94,
                    "unemployment_insurance_paid_prev_year": 1,
                }
            ]
        )  # fmt: skip
    )
    row = evaluate([RULES["zhoucun.job_retention_refund"]], frame, APRIL).row(0, named=True)
    assert row["near_miss"] and row["near_miss_fact"] == "layoff_rate"
    assert row["near_miss_gap"] == pytest.approx(0.005)
    assert "裁员率为0.06，> 0.055，差0.005" in row["explanation"]


@pytest.mark.parametrize(
    ("as_of", "agency", "placements", "status", "amount"),
    [
        (dt.date(2020, 2, 3), True, 10, None, None),  # before the window: not in force
        (dt.date(2020, 2, 4), True, 10, "eligible", 1200),
        (dt.date(2020, 5, 3), True, 1, "eligible", 120),
        (dt.date(2020, 5, 4), True, 10, None, None),  # after the window
        (dt.date(2020, 3, 1), True, 0, "ineligible", None),
        (dt.date(2020, 3, 1), False, 10, "ineligible", None),
        (dt.date(2020, 3, 1), None, 10, "unknown", None),
    ],
)
def test_job_placement_subsidy_120_per_placement_in_its_window(as_of, agency, placements, status, amount):
    facts = {"region_code": ZC, "is_hr_agency": agency, "job_placements": placements}
    assert run("zhoucun.job_placement_subsidy", facts, as_of) == (status, amount)


@pytest.mark.parametrize(
    ("level", "waived", "status", "amount"),
    [
        ("provincial", 100_000, "eligible", 30_000),
        ("city", 1_666_666, "eligible", 499_999.8),
        ("city", 1_666_667, "eligible", 500_000),
        ("provincial", 10_000_000, "eligible", 500_000),
        ("none", 100_000, "ineligible", None),
        ("city", 0, "ineligible", None),
        (None, 100_000, "unknown", None),
    ],
)
def test_incubator_operating_subsidy_30_percent_capped(level, waived, status, amount):
    got = run("zhoucun.incubator_operating_subsidy",
              {"region_code": ZC, "incubator_level": level, "tenant_rent_waived": waived})  # fmt: skip
    assert got[0] == status
    assert got[1] == (pytest.approx(amount) if amount is not None else None)


@pytest.mark.parametrize(
    ("size", "monthly", "region", "as_of", "status", "amount"),
    [
        ("micro", 10_000, "370102", dt.date(2020, 2, 1), "eligible", 50_000),
        ("small", 10_000, "370112", APRIL, "eligible", 50_000),
        ("medium", 3_333.33, "370102", APRIL, "eligible", 16_666.65),
        ("large", 10_000, "370102", APRIL, "eligible", 15_000),
        ("large", 0, "370102", APRIL, "ineligible", None),
        (None, 10_000, "370102", APRIL, "unknown", None),
        ("small", 10_000, "370102", dt.date(2020, 1, 31), None, None),  # before February 2020
        ("small", 10_000, "370306", APRIL, None, None),  # Zhoucun is not in Jinan
    ],
)
def test_jinan_social_insurance_exemption(size, monthly, region, as_of, status, amount):
    facts = {"region_code": region, "size_class": size, "employer_social_insurance_monthly": monthly}
    got = run("jinan.social_insurance_exemption", facts, as_of)
    assert got[0] == status
    assert got[1] == (pytest.approx(amount) if amount is not None else None)
