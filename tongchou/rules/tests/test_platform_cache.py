"""Cached snapshots must not outlive the data they were built from."""

from __future__ import annotations

import datetime as dt

import pytest

from tongchou.rules import selectors

from .platform_fixtures import FACTS_DAY, set_facts

AS_OF = dt.date(2020, 4, 15)


@pytest.mark.django_db(transaction=True)
def test_an_in_place_fact_update_by_an_import_refreshes_the_cached_snapshot(
    reference_data, make_enterprise, tmp_path
):
    from tongchou.facts.services import facts_import

    ent = make_enterprise(employees=20, size_class="small")
    set_facts(ent, insured_employees=10)
    assert selectors.cached_snapshot(AS_OF).facts_of(ent.uscc)["insured_employees"] == 10
    # same enterprise, same fact, same date: the count and the max id do not change
    path = tmp_path / "facts.csv"
    path.write_text(f"uscc,insured_employees\n{ent.uscc},12\n", encoding="utf-8")
    facts_import(file=path, source="区人力资源社会保障局", as_of=FACTS_DAY)
    assert selectors.cached_snapshot(AS_OF).facts_of(ent.uscc)["insured_employees"] == 12


@pytest.mark.django_db(transaction=True)
def test_a_registry_import_updating_a_fact_in_place_refreshes_the_cached_snapshot(
    reference_data, make_enterprise, tmp_path
):
    from tongchou.enterprises.importing import enterprises_import

    ent = make_enterprise(employees=20, size_class="small", industry_id="C17")
    set_facts(ent, insured_employees=10)
    assert selectors.cached_snapshot(AS_OF).facts_of(ent.uscc)["insured_employees"] == 10
    path = tmp_path / "registry.csv"
    path.write_text(
        "uscc,name,region_code,industry_code,employees,insured_employees\n"
        f"{ent.uscc},{ent.name},370306,C17,20,12\n",
        encoding="utf-8",
    )
    enterprises_import(source=path, filename=path.name, fact_source="区人力资源社会保障局", as_of=FACTS_DAY)
    assert selectors.cached_snapshot(AS_OF).facts_of(ent.uscc)["insured_employees"] == 12
