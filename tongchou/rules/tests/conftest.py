"""Fixtures of the rules app's platform tests (the engine's tests need none)."""

from __future__ import annotations

import pytest

from .platform_fixtures import PACK, set_facts


@pytest.fixture
def pack(db):
    from tongchou.rules import services

    services.rules_load(path=PACK)
    return PACK


@pytest.fixture
def textile(db, make_enterprise):
    """A small Zhoucun textile firm: eligible for job retention (layoff 2.44%) and the rent
    waiver; one near miss (loan rate 3.25% < 3.5%); social-insurance data missing."""
    ent = make_enterprise(name="周村丝路纺织有限公司", employees=86, size_class="small", industry_id="C17")
    set_facts(
        ent,
        insured_employees_prev_year_end=82,
        insured_employees=80,
        unemployment_insurance_paid_prev_year=38400,
        state_owned_rent_monthly=12000,
        is_epidemic_supply_producer=True,
        emergency_loan_amount=2_000_000,
        emergency_loan_rate=0.0325,
        operating_difficulty=True,
    )
    return ent


@pytest.fixture
def owner(db, textile):
    """The enterprise user of ``textile``."""
    from tongchou.accounts.models import User

    user = User(username="textile_owner", role="enterprise", enterprise=textile, display_name="纺织公司")
    user.set_password("Test-passw0rd!")
    user.save()
    return user
