"""The whole pack over the same database facts, two ways: the embedded engine over the polars
snapshot (DuckDB) and in-database evaluation in PostgreSQL over tongchou.facts.selectors.snapshot_sql.
Results must be identical. Runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://…)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import connection
from polars.testing import assert_frame_equal

from tongchou.rules import services
from tongchou.rules.models import Decision

from .platform_fixtures import AS_OF, load_population, set_facts

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def population_in_db(pack):
    if connection.vendor != "postgresql":
        pytest.skip("needs the suite on PostgreSQL (DATABASE_URL=postgres://…)")
    from tongchou.enterprises.models import Enterprise
    from tongchou.facts.selectors import snapshot_as_of as snapshot_frame
    from tongchou.rules.engine.synthetic import population

    load_population(population(800, seed=7, missing=0.12))
    # the registry stores the derived size class (as the enterprise import does)
    snap = snapshot_frame(AS_OF)
    sizes = dict(zip(snap.frame["uscc"].to_list(), snap.frame["size_class"].to_list(), strict=True))
    for ent in Enterprise.objects.filter(size_class=""):
        if sizes.get(ent.uscc):
            ent.size_class = sizes[ent.uscc]
            ent.save(update_fields=["size_class"])
    # dated history: an older value superseded and a later one not yet valid on AS_OF
    some = list(Enterprise.objects.order_by("id")[:50])
    for ent in some:
        set_facts(
            ent, as_of=dt.date(2020, 1, 1), insured_employees=1, unemployment_insurance_paid_prev_year=1
        )
        set_facts(ent, as_of=dt.date(2020, 12, 31), insured_employees=0, job_placements=999)
    return len(some)


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort(["uscc", "rule_id"])


@pytest.mark.parametrize("as_of", [dt.date(2020, 2, 10), dt.date(2020, 3, 10), AS_OF, dt.date(2020, 6, 1)])
def test_whole_pack_over_db_facts_is_identical_embedded_and_in_postgres(population_in_db, as_of):
    versions = services.published_versions(as_of)
    assert len(versions) >= 2
    embedded, _ = services.evaluate_versions(versions, as_of, engine="duckdb", keep="all")
    in_db, _ = services.evaluate_versions(versions, as_of, engine="postgres", keep="all")
    assert embedded.height > 0
    assert_frame_equal(_sorted(embedded), _sorted(in_db))
    if as_of == AS_OF:
        assert set(embedded["status"].unique()) == {"eligible", "unknown", "ineligible"}
        assert embedded["near_miss"].any()


def test_runs_with_either_engine_store_the_same_decisions(population_in_db):
    a = services.match_run(as_of=AS_OF, engine="duckdb", push=False)
    b = services.match_run(as_of=AS_OF, engine="postgres", push=False)

    def rows(run):
        return set(
            Decision.objects.filter(run=run).values_list(
                "enterprise_id", "rule_id", "status", "amount", "explanation", "failed_conditions"
            )
        )

    assert a.eligible == b.eligible and a.eligible > 100
    assert rows(a) == rows(b)
    # the run on PostgreSQL compared with the embedded one: nothing new
    assert b.new_eligible == 0
