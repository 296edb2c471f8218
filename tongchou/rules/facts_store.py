"""Facts from the database: the snapshot the engine evaluates, and department imports.

Storage convention in ``enterprises.EnterpriseFact`` (one dated row per enterprise × fact):

* number facts → ``value_number``;
* bool facts → ``value_text`` ``"true"`` / ``"false"``;
* text, enum and date facts → ``value_text`` (dates as ``YYYY-MM-DD``).

A snapshot "as of D" takes, per enterprise and fact name, the row with the latest ``as_of`` on or
before D; registry columns of ``Enterprise`` fill the registry facts (a dated fact of the same
name wins). Two equivalent forms:

* :func:`snapshot_frame` — a typed polars frame for the embedded (DuckDB) engine, plus the
  as-of date and source of every fact value (for the decision's fact snapshot);
* :func:`postgres_source_sql` — one SELECT computing the same snapshot inside PostgreSQL, which
  the engine wraps as its ``base`` CTE (in-database evaluation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from tongchou.rules import facts as schema
from tongchou.rules.facts import FactType

POLARS_TYPES = {
    FactType.NUMBER: pl.Float64,
    FactType.TEXT: pl.String,
    FactType.ENUM: pl.String,
    FactType.BOOL: pl.Boolean,
    FactType.DATE: pl.Date,
}
# registry fact -> Enterprise column (expression) it comes from
REGISTRY = {
    "uscc": "uscc",
    "name": "name",
    "region_code": "region_id",
    "industry_code": "industry_id",
    "kind": "kind",
    "registered_on": "registered_on",
    "employees": "employees",
    "revenue_wan": "revenue_wan",
    "assets_wan": "assets_wan",
    "size_class": "size_class",
    "above_designated_size": "above_designated_size",
    "foreign_invested": "foreign_invested",
    "exporter": "exporter",
    "high_tech": "high_tech",
}
# facts never stored as dated rows: they are the enterprise's identity or computed from others
IDENTITY = {"uscc", "name", "region_code", "industry_code", "industry_section"}
REGISTRY_SOURCE = "企业登记"


@dataclass
class Snapshot:
    frame: pl.DataFrame
    enterprise_ids: dict[str, int]  # uscc -> Enterprise.pk
    meta: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)  # pk -> name -> (as_of, source)

    def facts_of(self, uscc: str) -> dict:
        rows = self.frame.filter(pl.col("uscc") == uscc).to_dicts()
        return rows[0] if rows else {}


def fact_value(name: str, value_number, value_text):
    """The typed value of a stored fact row."""
    fact = schema.FACTS.get(name)
    if fact is None:
        return None
    if fact.type == FactType.NUMBER:
        if value_number is not None:
            return float(value_number)
        try:
            return float(value_text) if value_text not in (None, "") else None
        except ValueError:
            return None
    if value_text in (None, ""):
        return None
    if fact.type == FactType.BOOL:
        return value_text.strip().lower() in ("true", "1", "是", "t", "yes")
    if fact.type == FactType.DATE:
        try:
            return dt.date.fromisoformat(value_text[:10])
        except ValueError:
            return None
    return value_text


def store_value(name: str, value) -> tuple[Decimal | None, str]:
    """(value_number, value_text) for storing a typed fact value."""
    fact = schema.FACTS[name]
    if fact.type == FactType.NUMBER:
        return Decimal(str(round(float(value), 4))), ""
    if fact.type == FactType.BOOL:
        return None, "true" if value else "false"
    if isinstance(value, dt.date):
        return None, value.isoformat()
    return None, str(value)


def snapshot_frame(as_of: dt.date, *, enterprises=None, derive_size: bool = True) -> Snapshot:
    """Every enterprise's facts as of ``as_of`` (``enterprises``: optional queryset to restrict)."""
    from tongchou.enterprises.models import Enterprise, EnterpriseFact

    qs = enterprises if enterprises is not None else Enterprise.objects.all()
    reg_cols = ["id", *REGISTRY.values()]
    ents = list(qs.order_by("id").values_list(*reg_cols))
    ids = [e[0] for e in ents]
    cols: dict[str, list] = {name: [] for name in REGISTRY}
    index: dict[int, int] = {}
    for i, row in enumerate(ents):
        index[row[0]] = i
        for name, value in zip(REGISTRY, row[1:], strict=True):
            if name == "size_class" and value == "":
                value = None
            if isinstance(value, Decimal):
                value = float(value)
            cols[name].append(value)
    cols["industry_section"] = [c[:1] if c else None for c in cols["industry_code"]]
    n = len(ents)
    meta: dict[int, dict[str, tuple[str, str]]] = {}
    fact_names = [f for f in schema.FACTS if f not in IDENTITY]
    facts_q = EnterpriseFact.objects.filter(as_of__lte=as_of, name__in=fact_names)
    if enterprises is not None:
        facts_q = (
            facts_q.filter(enterprise_id__in=ids) if len(ids) < 5000 else facts_q.filter(enterprise__in=qs)
        )
    dated: dict[str, list] = {}
    for ent_id, name, num, text, on, source in facts_q.order_by("as_of", "id").values_list(
        "enterprise_id", "name", "value_number", "value_text", "as_of", "source"
    ):
        i = index.get(ent_id)
        if i is None:
            continue
        column = dated.setdefault(name, [None] * n)
        column[i] = fact_value(name, num, text)
        meta.setdefault(ent_id, {})[name] = (on.isoformat(), source)
    for name, values in dated.items():
        if name in cols:  # a dated fact wins over the registry column
            base = cols[name]
            cols[name] = [v if v is not None else b for v, b in zip(values, base, strict=True)]
        else:
            cols[name] = values
    series = []
    for name, values in cols.items():
        dtype = POLARS_TYPES[schema.FACTS[name].type]
        series.append(pl.Series(name, values, dtype=dtype, strict=False))
    frame = pl.DataFrame(series) if series else pl.DataFrame()
    if derive_size and n:
        from tongchou.rules.engine.snapshot import derive_size_class

        frame = derive_size_class(frame)
    return Snapshot(
        frame=frame, enterprise_ids={u: i for u, i in zip(cols["uscc"], ids, strict=True)}, meta=meta
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def postgres_source_sql(as_of: dt.date) -> str:
    """One SELECT computing :func:`snapshot_frame`'s columns inside PostgreSQL (without the
    Python size-class derivation: ``size_class`` is the registry's, derived at registration)."""
    from tongchou.enterprises.models import Enterprise, EnterpriseFact

    ent, fact = Enterprise._meta.db_table, EnterpriseFact._meta.db_table
    day = dt.date.fromisoformat(str(as_of)).isoformat()  # a date literal, never user text
    pivots, select = [], []
    dbl = "double precision"
    for name, f in schema.FACTS.items():
        if name in IDENTITY:
            continue
        lit = "'" + name + "'"
        if f.type == FactType.NUMBER:
            pivots.append(f"MAX(CASE WHEN name = {lit} THEN value_number END)::{dbl} AS {_q(name)}")
        elif f.type == FactType.BOOL:
            pivots.append(
                f"BOOL_OR(CASE WHEN name = {lit} THEN lower(value_text) IN ('true', '1', 't', 'yes', '是') END) AS {_q(name)}"
            )
        elif f.type == FactType.DATE:
            pivots.append(f"MAX(CASE WHEN name = {lit} THEN NULLIF(value_text, '') END)::date AS {_q(name)}")
        else:
            pivots.append(f"MAX(CASE WHEN name = {lit} THEN NULLIF(value_text, '') END) AS {_q(name)}")
    for name, f in schema.FACTS.items():
        if name in ("uscc", "name"):
            select.append(f"e.{_q(name)} AS {_q(name)}")
        elif name == "region_code":
            select.append(f"e.region_id AS {_q(name)}")
        elif name == "industry_code":
            select.append(f"e.industry_id AS {_q(name)}")
        elif name == "industry_section":
            select.append(f"substr(e.industry_id, 1, 1) AS {_q(name)}")
        elif name in REGISTRY:
            col = f"e.{_q(REGISTRY[name])}"
            if name == "size_class":
                col = f"NULLIF({col}, '')"
            elif f.type == FactType.NUMBER:
                col = f"{col}::{dbl}"
            select.append(f"COALESCE(f.{_q(name)}, {col}) AS {_q(name)}")
        else:
            select.append(f"f.{_q(name)} AS {_q(name)}")
    return (
        f"SELECT {', '.join(select)} FROM {ent} e LEFT JOIN ("
        f"SELECT enterprise_id, {', '.join(pivots)} FROM ("
        f"SELECT DISTINCT ON (enterprise_id, name) enterprise_id, name, value_number, value_text "
        f"FROM {fact} WHERE as_of <= DATE '{day}' ORDER BY enterprise_id, name, as_of DESC, id DESC"
        f") latest GROUP BY enterprise_id) f ON f.enterprise_id = e.id"
    )


def enterprise_facts(enterprise, as_of: dt.date) -> tuple[dict, dict[str, tuple[str, str]]]:
    """One enterprise's facts as of a date (a dict for the tracer) and their (as_of, source)."""
    from tongchou.enterprises.models import EnterpriseFact

    facts: dict = {}
    meta: dict[str, tuple[str, str]] = {}
    for name, column in REGISTRY.items():
        value = getattr(enterprise, column)
        if name == "size_class" and value == "":
            value = None
        facts[name] = float(value) if isinstance(value, Decimal) else value
        if value is not None and name not in ("uscc", "name"):
            meta[name] = ("", REGISTRY_SOURCE)
    facts["industry_section"] = (enterprise.industry_id or "")[:1] or None
    rows = (
        EnterpriseFact.objects.filter(enterprise=enterprise, as_of__lte=as_of)
        .order_by("as_of", "id")
        .values_list("name", "value_number", "value_text", "as_of", "source")
    )
    for name, num, text, on, source in rows:
        if name in IDENTITY or name not in schema.FACTS:
            continue
        value = fact_value(name, num, text)
        if value is None:
            continue
        facts[name] = value
        meta[name] = (on.isoformat(), source)
    return facts, meta
