"""Deterministic synthetic enterprise populations (tests, differential runs, benchmarks).

Every fact of the schema gets a plausible distribution with a share of missing values,
and values are drawn to land on and around the pack's thresholds often enough that every
status (eligible / unknown / ineligible / near miss) occurs.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tongchou.facts.catalogue import FACTS as CATALOGUE
from tongchou.facts.frames import POLARS_TYPES
from tongchou.facts.registry import FactType, current

REGIONS = ["370306", "370306001", "370306100", "370303", "370302", "370102", "370112", "371402"]
INDUSTRIES = ["C3562", "C2710", "F5211", "I6510", "H6210", "E4710", "A0111", "L7211"]


def population(
    n: int, *, seed: int = 20200306, missing: float = 0.1, derived_size: bool = False
) -> pl.DataFrame:
    """``n`` enterprises; ``missing`` is the share of missing values per optional fact.
    With ``derived_size`` size_class is left empty (to be derived from the registry facts)."""
    rng = np.random.default_rng(seed)

    def maybe(values: np.ndarray) -> pl.Series:
        s = pl.Series(values)
        mask = rng.random(n) < missing
        return s.set(pl.Series(mask), None) if mask.any() else s

    cols: dict[str, pl.Series] = {}
    cols["uscc"] = pl.Series([f"91370306MA{i:08d}" for i in range(n)])
    cols["name"] = pl.Series([f"企业{i}" for i in range(n)])
    cols["region_code"] = maybe(rng.choice(REGIONS, n))
    cols["industry_code"] = pl.Series(rng.choice(INDUSTRIES, n))
    cols["industry_section"] = cols["industry_code"].str.slice(0, 1)
    cols["kind"] = pl.Series(rng.choice(["enterprise", "sole_proprietor"], n, p=[0.8, 0.2]))
    cols["employees"] = maybe(rng.integers(1, 2000, n).astype(float))
    cols["revenue_wan"] = maybe(np.round(rng.lognormal(6, 1.5, n), 1))
    cols["assets_wan"] = maybe(np.round(rng.lognormal(6, 1.5, n), 1))
    if derived_size:
        cols["size_class"] = pl.Series([None] * n, dtype=pl.String)
    else:
        cols["size_class"] = maybe(
            rng.choice(["large", "medium", "small", "micro"], n, p=[0.05, 0.15, 0.4, 0.4])
        )
    prev = rng.integers(0, 300, n).astype(float)
    small = rng.random(n) < 0.3
    prev[small] = rng.integers(1, 40, small.sum())
    # layoffs around 5.5% and 20%
    rate = rng.choice([0.0, 0.03, 0.05, 0.055, 0.06, 0.1, 0.2, 0.25], n)
    now = np.floor(prev * (1 - rate))
    cols["insured_employees_prev_year_end"] = maybe(prev)
    cols["insured_employees"] = maybe(now)
    cols["unemployment_insurance_paid_prev_year"] = maybe(np.round(prev * rng.uniform(200, 600, n), 2))
    cols["employer_social_insurance_monthly"] = maybe(np.round(prev * rng.uniform(500, 1500, n), 2))
    # the catalogue's flags only: facts other apps declare must not change a seeded population
    bool_facts = [f.name for f in CATALOGUE if f.type == FactType.BOOL]
    for name in bool_facts:
        cols[name] = maybe(rng.random(n) < 0.3)
    cols["incubator_level"] = maybe(rng.choice(["none", "city", "provincial"], n, p=[0.8, 0.1, 0.1]))
    cols["registered_on"] = pl.Series(
        np.datetime64("2000-01-01") + rng.integers(0, 7300, n).astype("timedelta64[D]")
    ).cast(pl.Date)

    def money(scale: float, zero: float = 0.4, at: tuple[float, ...] = ()) -> pl.Series:
        v = np.round(rng.lognormal(np.log(scale), 1.0, n), 2)
        v[rng.random(n) < zero] = 0.0
        for point in at:
            pick = rng.random(n) < 0.02
            v[pick] = point + rng.choice([-1.0, 0.0, 1.0], pick.sum())
        return maybe(v)

    cols["state_owned_rent_monthly"] = money(5000)
    cols["epidemic_equipment_investment"] = money(2_000_000, at=(50_000_000,))
    cols["equipment_purchase"] = money(1_000_000, at=(50_000_000,))
    cols["job_placements"] = maybe(rng.integers(0, 50, n).astype(float))
    cols["tenant_rent_waived"] = money(300_000, at=(1_666_666.67,))
    cols["online_training_subsidy_base"] = money(50_000)
    cols["new_hires_insured"] = maybe(rng.integers(0, 20, n).astype(float))
    cols["poverty_workshop_workers"] = maybe(rng.integers(0, 10, n).astype(float))
    cols["utility_arrears"] = money(3000)
    cols["tax_due_unpaid"] = money(20000)
    cols["land_and_property_tax_annual"] = money(30000)
    cols["emergency_loan_amount"] = money(1_000_000)
    cols["emergency_loan_rate"] = maybe(rng.choice([0.03, 0.035, 0.036, 0.045, 0.06], n))
    cols["new_loan_amount_2020"] = money(2_000_000)
    cols["overseas_fair_fee_paid"] = money(20000, zero=0.8)
    cols["epidemic_supply_imports"] = money(500_000, zero=0.8)
    cols["exports_usd_prev_year"] = maybe(rng.choice([1e6, 7_999_999.0, 8e6, 8_000_001.0, 2e7], n))
    cols["export_credit_insurance_premium"] = money(20000, zero=0.6)
    cols["foreign_capital_received_usd"] = money(1_000_000, zero=0.8)
    cols["new_greenhouse_area_m2"] = money(800, zero=0.8)
    cols["land_transfer_new_mu"] = maybe(rng.choice([0.0, 50.0, 99.0, 100.0, 101.0, 300.0], n))
    cols["new_class1_drugs"] = maybe(rng.choice([0.0, 0.0, 0.0, 1.0, 2.0], n))
    frame = pl.DataFrame({k: v.alias(k) for k, v in cols.items()})
    registry = current()  # cast to the registry's types
    return frame.with_columns(
        [pl.col(c).cast(POLARS_TYPES[registry[c].type]) for c in frame.columns if c in registry]
    )
