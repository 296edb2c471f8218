"""Differential execution: the whole pack on DuckDB and on PostgreSQL over one fixture
population gives identical results (statuses, amounts, condition values, missing facts,
near misses, explanations)."""

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tongchou.rules.engine import evaluate, load_into_postgres, load_rules
from tongchou.rules.engine.snapshot import derive_size_class
from tongchou.rules.engine.synthetic import population

PACK = Path(__file__).resolve().parents[1] / "pack"
pytestmark = pytest.mark.postgres


def _dsn() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def pg():
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(_dsn(), connect_timeout=3)
    except Exception as err:  # noqa: BLE001 - any connection failure means "no server here"
        pytest.skip(f"no PostgreSQL reachable at {_dsn()}: {err}")
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort(["uscc", "rule_id"])


@pytest.mark.parametrize("as_of", [dt.date(2020, 2, 10), dt.date(2020, 4, 1), dt.date(2020, 6, 1)])
@pytest.mark.parametrize("keep", ["all", "relevant"])
def test_whole_pack_gives_identical_results_on_duckdb_and_postgres(pg, as_of, keep):
    rules = load_rules(PACK)
    facts = population(1500, seed=11, missing=0.12)
    load_into_postgres(pg, facts, "tongchou_diff_facts", temporary=True)
    duck = evaluate(rules, facts, as_of, keep=keep)
    post = evaluate(
        rules, None, as_of, engine="postgres", connection=pg, source="tongchou_diff_facts", keep=keep
    )
    assert duck.height > 1000
    assert_frame_equal(_sorted(duck), _sorted(post))


def test_postgres_reads_a_view_or_a_select_missing_some_facts(pg):
    rules = load_rules(PACK)
    facts = derive_size_class(population(300, seed=3))
    load_into_postgres(pg, facts, "tongchou_diff_facts", temporary=True)
    subset = ["uscc", "region_code", "size_class", "state_owned_rent_monthly"]
    duck = evaluate(rules, facts.select(subset), dt.date(2020, 4, 1))
    post = evaluate(
        rules,
        None,
        dt.date(2020, 4, 1),
        engine="postgres",
        connection=pg,
        source=f"SELECT {', '.join(subset)} FROM tongchou_diff_facts",
    )
    assert_frame_equal(_sorted(duck), _sorted(post))
    statuses = dict(
        post.filter(pl.col("rule_id") == "zhoucun.rent_waiver").group_by("status").len().iter_rows()
    )
    assert statuses.get("eligible", 0) > 0


def test_postgres_evaluates_a_snapshot_frame_directly(pg):
    rules = load_rules(PACK)
    facts = population(200, seed=4)
    duck = evaluate(rules, facts, dt.date(2020, 4, 1))
    post = evaluate(rules, facts, dt.date(2020, 4, 1), engine="postgres", connection=pg)
    assert_frame_equal(_sorted(duck), _sorted(post))
