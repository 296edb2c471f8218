"""Dated storage: reading as of a date, one enterprise's facts with their sources, series; and the
move of the tables into this app keeps every existing row (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tongchou.facts import selectors
from tongchou.facts.models import EnterpriseFact, FactImport
from tongchou.facts.services import facts_write

D1, D2, D3 = dt.date(2020, 2, 1), dt.date(2020, 3, 1), dt.date(2020, 4, 1)


@pytest.fixture
def firm(make_enterprise):
    ent = make_enterprise(name="周村历史数据有限公司", employees=40, industry_id=None)
    facts_write(
        values=[(ent.pk, "insured_employees", 30), (ent.pk, "is_hr_agency", True)], source="人社局", as_of=D1
    )
    facts_write(values=[(ent.pk, "insured_employees", 28)], source="人社局", as_of=D2)
    facts_write(
        values=[(ent.pk, "insured_employees", 25), (ent.pk, "employees", 60)], source="统计局", as_of=D3
    )
    return ent


@pytest.mark.django_db
def test_facts_as_of_a_date_take_the_latest_value_on_or_before_it(firm):
    assert selectors.facts_as_of(dt.date(2020, 1, 31), ["insured_employees"]) == {}
    assert selectors.facts_as_of(D1, ["insured_employees"])[firm.pk] == {"insured_employees": 30.0}
    assert selectors.facts_as_of(dt.date(2020, 3, 15), ["insured_employees"])[firm.pk] == {
        "insured_employees": 28.0
    }
    got = selectors.facts_as_of(D3, ["insured_employees", "is_hr_agency"], enterprise_ids=[firm.pk])
    assert got == {firm.pk: {"insured_employees": 25.0, "is_hr_agency": True}}


@pytest.mark.django_db
def test_the_snapshot_for_matching_is_the_same_reading(firm):
    snap = selectors.snapshot_as_of(D2)
    row = snap.facts_of(firm.uscc)
    assert (
        row["insured_employees"] == 28.0 and row["employees"] == 40.0
    )  # registry column, no dated value yet
    assert snap.meta[firm.pk]["insured_employees"] == (D2.isoformat(), "人社局")
    later = selectors.snapshot_as_of(D3).facts_of(firm.uscc)
    assert later["employees"] == 60.0  # a dated fact wins over the registry column


@pytest.mark.django_db
def test_one_enterprise_with_sources_and_a_series(firm):
    values, sources = selectors.enterprise_facts(firm, D2)
    assert values["insured_employees"] == 28.0 and values["is_hr_agency"] is True
    assert sources["insured_employees"] == (D2.isoformat(), "人社局")
    assert sources["region_code"] == ("", selectors.REGISTRY_SOURCE)
    series = selectors.fact_series("insured_employees", enterprise_ids=[firm.pk], start=D2)
    assert series == [(firm.pk, D2, 28.0), (firm.pk, D3, 25.0)]
    newest = {f.name: f for f in selectors.latest_facts(firm)}
    assert newest["insured_employees"].value == 25.0 and newest["insured_employees"].label == "参保职工人数"


@pytest.mark.django_db
def test_writing_the_same_day_again_replaces_the_value(firm):
    n = facts_write(values=[(firm.pk, "insured_employees", Decimal("26.5")), (firm.pk, "tax_due_unpaid", None)],
                    source="人社局（更正）", as_of=D3)  # fmt: skip
    assert n == 1
    row = EnterpriseFact.objects.get(enterprise=firm, name="insured_employees", as_of=D3)
    assert row.value_number == Decimal("26.5") and row.source == "人社局（更正）"
    assert EnterpriseFact.objects.filter(enterprise=firm, name="insured_employees").count() == 3


# --- the move of the tables ------------------------------------------------------------------------
BEFORE = [("enterprises", "0001_initial"), ("rules", "0002_delivery_event_action")]


@pytest.mark.django_db(transaction=True)
def test_moving_the_tables_into_the_facts_app_keeps_every_row(reference_data):
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    executor.migrate([("facts", None)])  # back to before the move (enterprises/rules 0002 undone too)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Enterprise = old.get_model("enterprises", "Enterprise")
    OldFact = old.get_model("enterprises", "EnterpriseFact")
    OldImport = old.get_model("rules", "FactImport")
    ent = Enterprise.objects.create(uscc="91370306MA0000015E", name="迁移前的企业", region_id="370306")
    OldFact.objects.create(
        enterprise=ent, name="insured_employees", value_number=42, source="人社局", as_of=D1
    )
    OldFact.objects.create(enterprise=ent, name="is_hr_agency", value_text="true", source="人社局", as_of=D1)
    OldImport.objects.create(
        source="人社局", as_of=D1, file_name="老文件.xlsx", rows=1, facts=2, columns=["a"]
    )
    MigrationExecutor(connection).migrate(targets)
    assert "facts_enterprisefact" in connection.introspection.table_names()
    assert "enterprises_enterprisefact" not in connection.introspection.table_names()
    rows = {f.name: f for f in EnterpriseFact.objects.filter(enterprise__uscc="91370306MA0000015E")}
    assert rows["insured_employees"].value_number == 42 and rows["is_hr_agency"].value_text == "true"
    assert FactImport.objects.get(file_name="老文件.xlsx").facts == 2
    # the unique (enterprise, name, as_of) rule still holds after the move
    assert facts_write(values=[(ent.pk, "insured_employees", 43)], source="人社局", as_of=D1) == 1
    assert EnterpriseFact.objects.get(enterprise_id=ent.pk, name="insured_employees").value_number == 43
