"""Three of the pack's rules modelled in OpenFisca-Core, for bench/match_bench.py.

Run with the throwaway venv's interpreter (OpenFisca is not a project dependency):
    /tmp/ofvenv/bin/python bench/openfisca_rules.py facts.npz

OpenFisca has no missing values: a missing fact arrives as NaN and comparisons with NaN are
false, so "unknown" cannot be told apart from "ineligible" (the engine's three-valued logic
has no counterpart here). Rules: zhoucun.rent_waiver, zhoucun.job_retention_refund,
zhoucun.tech_renovation_subsidy (region scope and validity left out).
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.periods import YEAR
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Enterprise = build_entity(key="enterprise", plural="enterprises", label="企业", is_person=True)


def _input(name: str, vtype=float):
    return type(name, (Variable,), {"value_type": vtype, "entity": Enterprise, "definition_period": YEAR})


size_code = _input("size_code", int)  # 0 micro, 1 small, 2 medium, 3 large, -1 missing
state_owned_rent_monthly = _input("state_owned_rent_monthly")
insured_employees_prev_year_end = _input("insured_employees_prev_year_end")
insured_employees = _input("insured_employees")
unemployment_insurance_paid_prev_year = _input("unemployment_insurance_paid_prev_year")
epidemic_equipment_investment = _input("epidemic_equipment_investment")


class rent_waiver(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR

    def formula(enterprise, period):
        size = enterprise("size_code", period)
        rent = enterprise("state_owned_rent_monthly", period)
        return np.where((size >= 0) & (size <= 2) & (rent > 0), 3 * rent, 0)


class layoff_rate(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR

    def formula(enterprise, period):
        prev = enterprise("insured_employees_prev_year_end", period)
        now = enterprise("insured_employees", period)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(prev > 0, np.maximum(prev - now, 0) / prev, np.nan)


class job_retention_refund(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR

    def formula(enterprise, period):
        prev = enterprise("insured_employees_prev_year_end", period)
        rate = enterprise("layoff_rate", period)
        limit = np.where(prev <= 30, 0.20, 0.055)
        ok = (prev > 0) & (rate <= limit)
        return np.where(ok, 0.5 * enterprise("unemployment_insurance_paid_prev_year", period), 0)


class tech_renovation_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR

    def formula(enterprise, period):
        invest = enterprise("epidemic_equipment_investment", period)
        return np.where(invest > 0, np.minimum(0.2 * invest, 10_000_000), 0)


def main() -> None:
    data = np.load(sys.argv[1])
    n = len(data["size"])
    tbs = TaxBenefitSystem([Enterprise])
    for var in (
        size_code, state_owned_rent_monthly, insured_employees_prev_year_end, insured_employees,
        unemployment_insurance_paid_prev_year, epidemic_equipment_investment, rent_waiver, layoff_rate,
        job_retention_refund, tech_renovation_subsidy,
    ):  # fmt: skip
        tbs.add_variable(var)
    t = time.perf_counter()
    sim = SimulationBuilder().build_default_simulation(tbs, count=n)
    for name, key in (
        ("size_code", "size"), ("state_owned_rent_monthly", "rent"), ("insured_employees_prev_year_end", "prev"),
        ("insured_employees", "now"), ("unemployment_insurance_paid_prev_year", "paid"),
        ("epidemic_equipment_investment", "invest"),
    ):  # fmt: skip
        sim.set_input(name, "2020", data[key])
    totals = {}
    for rule in ("rent_waiver", "job_retention_refund", "tech_renovation_subsidy"):
        values = sim.calculate(rule, "2020")
        totals[rule] = {"eligible": int((values > 0).sum()), "amount": float(np.nansum(values))}
    seconds = time.perf_counter() - t
    print(
        json.dumps(
            {
                "rules": 3,
                "enterprises": n,
                "seconds": seconds,
                "per_rule_seconds": seconds / 3,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "totals": totals,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
