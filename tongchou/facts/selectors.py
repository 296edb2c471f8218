"""Reading facts: as of a date, for matching, for one enterprise, over time.

"As of D" means, per enterprise and fact name, the stored row with the latest ``as_of`` on or
before D. The registry columns of ``Enterprise`` (uscc, region, industry, employees …) are facts
too; a dated row of the same name wins over the column. Two equivalent forms of the whole
population:

* :func:`snapshot_as_of` — a typed polars frame for the embedded (DuckDB) engine, plus the as-of
  date and source of every value (the decision's fact snapshot);
* :func:`snapshot_sql` — one SELECT computing the same columns inside PostgreSQL, which the engine
  wraps as its ``base`` CTE (in-database evaluation; function-derived facts such as ``size_class``
  come from the registry column, derived at registration).

This module does not import the enterprises app: the ``Enterprise`` model is reached through the
foreign key of :class:`~tongchou.facts.models.EnterpriseFact`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connections
from django.db.models import CharField, Count, FloatField, Max
from django.db.models.functions import Cast

from tongchou.facts import storage
from tongchou.facts.frames import POLARS_TYPES, derive_frame
from tongchou.facts.models import EnterpriseFact, FactImport
from tongchou.facts.registry import KEY, FactType, current

# registry fact -> the Enterprise column it comes from
REGISTRY_COLUMNS = {
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
# facts never stored as dated rows: the enterprise's identity, or computed from it
IDENTITY = {"uscc", "name", "region_code", "industry_code", "industry_section"}
REGISTRY_SOURCE = "企业登记"


def enterprise_model():
    """``enterprises.Enterprise``, through the facts' foreign key (no import of that app)."""
    return EnterpriseFact._meta.get_field("enterprise").related_model


@dataclass
class Snapshot:
    """Every enterprise's facts as of a date: ``frame`` (one row per enterprise, one typed column
    per fact), ``enterprise_ids`` (uscc → Enterprise pk) and ``meta`` (pk → name → (as_of,
    source) of every dated value)."""

    frame: pl.DataFrame
    enterprise_ids: dict[str, int]
    meta: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def facts_of(self, uscc: str) -> dict:
        rows = self.frame.filter(pl.col(KEY) == uscc).to_dicts()
        return rows[0] if rows else {}


def snapshot_as_of(as_of: dt.date, *, enterprises=None, derive: bool = True) -> Snapshot:
    """Every enterprise's facts as of ``as_of`` (``enterprises``: a queryset to restrict to).
    Function-derived facts (``size_class``) are filled where still missing when ``derive``."""
    registry = current()
    Enterprise = enterprise_model()
    qs = enterprises if enterprises is not None else Enterprise.objects.all()
    ents = list(qs.order_by("id").values_list("id", *REGISTRY_COLUMNS.values()))
    ids = [e[0] for e in ents]
    cols: dict[str, list] = {name: [] for name in REGISTRY_COLUMNS}
    index: dict[int, int] = {}
    columns = list(cols.values())
    for i, row in enumerate(ents):
        index[row[0]] = i
        for column, value in zip(columns, row[1:], strict=True):
            column.append(float(value) if isinstance(value, Decimal) else value)
    cols["size_class"] = [v or None for v in cols["size_class"]]
    cols["industry_section"] = [c[:1] if c else None for c in cols["industry_code"]]
    n = len(ents)
    meta: dict[int, dict[str, tuple[str, str]]] = {}
    fact_names = [f for f in registry if f not in IDENTITY]
    readers = {name: storage.reader(registry.get(name)) for name in fact_names}
    facts_q = EnterpriseFact.objects.filter(as_of__lte=as_of, name__in=fact_names)
    if enterprises is not None:
        facts_q = (
            facts_q.filter(enterprise_id__in=ids) if len(ids) < 5000 else facts_q.filter(enterprise__in=qs)
        )
    dated: dict[str, list] = {}
    # numbers as floats and dates as text straight from the database cursor: no per-row Decimal,
    # date and ORM converters (they were half the time for 700,000 values)
    query = (
        facts_q.order_by("as_of", "id")
        .annotate(_num=Cast("value_number", FloatField()), _day=Cast("as_of", CharField()))
        .values_list("enterprise_id", "name", "_num", "value_text", "_day", "source")
    )
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(10_000):
            for ent_id, name, num, text, day, source in batch:
                i = index.get(ent_id)
                if i is None:
                    continue
                column = dated.get(name)
                if column is None:
                    column = dated[name] = [None] * n
                column[i] = readers[name](num, text)
                meta.setdefault(ent_id, {})[name] = (day, source)
    for name, values in dated.items():
        if name in cols:  # a dated fact wins over the registry column
            base = cols[name]
            cols[name] = [v if v is not None else b for v, b in zip(values, base, strict=True)]
        else:
            cols[name] = values
    series = [
        pl.Series(name, values, dtype=POLARS_TYPES[registry[name].type], strict=False)
        for name, values in cols.items()
        if name in registry
    ]
    frame = pl.DataFrame(series) if series else pl.DataFrame()
    if derive and n:
        frame = derive_frame(frame)
    return Snapshot(frame=frame, enterprise_ids=dict(zip(cols[KEY], ids, strict=True)), meta=meta)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def snapshot_sql(as_of: dt.date) -> str:
    """One SELECT computing :func:`snapshot_as_of`'s columns inside PostgreSQL (without the
    function derivations: ``size_class`` is the registry's, derived at registration)."""
    registry = current()
    ent, fact = enterprise_model()._meta.db_table, EnterpriseFact._meta.db_table
    day = dt.date.fromisoformat(str(as_of)).isoformat()  # a date literal, never user text
    pivots, select = [], []
    dbl = "double precision"
    for name, f in registry.items():
        if name in IDENTITY:
            continue
        lit = "'" + name.replace("'", "''") + "'"
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
    for name, f in registry.items():
        if name in ("uscc", "name"):
            select.append(f"e.{_q(name)} AS {_q(name)}")
        elif name == "region_code":
            select.append(f"e.region_id AS {_q(name)}")
        elif name == "industry_code":
            select.append(f"e.industry_id AS {_q(name)}")
        elif name == "industry_section":
            select.append(f"substr(e.industry_id, 1, 1) AS {_q(name)}")
        elif name in REGISTRY_COLUMNS:
            col = f"e.{_q(REGISTRY_COLUMNS[name])}"
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


def enterprise_facts(enterprise, as_of: dt.date) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """One enterprise's facts as of a date: ``(values, sources)`` — values by fact name (for the
    tracer), and ``(as_of ISO date, source)`` of every value that has one (registry columns:
    ``("", "企业登记")``)."""
    registry = current()
    facts: dict[str, Any] = {}
    meta: dict[str, tuple[str, str]] = {}
    for name, column in REGISTRY_COLUMNS.items():
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
        if name in IDENTITY or name not in registry:
            continue
        value = storage.from_storage(registry[name], num, text)
        if value is None:
            continue
        facts[name] = value
        meta[name] = (on.isoformat(), source)
    return facts, meta


def facts_as_of(
    as_of: dt.date, names: Iterable[str], *, enterprise_ids: Iterable[int] | None = None
) -> dict[int, dict[str, Any]]:
    """The latest stored value (as of ``as_of``) of each of ``names`` per enterprise:
    ``{enterprise pk: {name: value}}`` — only dated facts, typed by the registry; enterprises
    without any of them are absent. For modules that need a few facts, not the whole snapshot."""
    registry = current()
    names = list(names)
    readers = {n: storage.reader(registry.get(n)) for n in names}
    qs = EnterpriseFact.objects.filter(as_of__lte=as_of, name__in=names)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    out: dict[int, dict[str, Any]] = {}
    for ent_id, name, num, text in qs.order_by("as_of", "id").values_list(
        "enterprise_id", "name", "value_number", "value_text"
    ):
        out.setdefault(ent_id, {})[name] = readers[name](num, text)
    return out


def fact_series(
    name: str,
    *,
    enterprise_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[tuple[int, dt.date, Any]]:
    """Every dated value of one fact (``(enterprise pk, as_of, value)`` ordered by enterprise and
    date) — a daily figure such as electricity use read as a series."""
    read = storage.reader(current().get(name))
    qs = EnterpriseFact.objects.filter(name=name)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    if start is not None:
        qs = qs.filter(as_of__gte=start)
    if end is not None:
        qs = qs.filter(as_of__lte=end)
    return [
        (ent_id, on, read(num, text))
        for ent_id, on, num, text in qs.order_by("enterprise_id", "as_of").values_list(
            "enterprise_id", "as_of", "value_number", "value_text"
        )
    ]


def latest_facts(enterprise, limit: int = 100) -> list[EnterpriseFact]:
    """The newest row of each fact name of one enterprise (older dated values are history), each
    with ``label`` (Chinese) and ``value`` (typed) set, for the enterprise's page."""
    registry = current()
    seen: set[str] = set()
    out = []
    for f in EnterpriseFact.objects.filter(enterprise=enterprise).order_by("name", "-as_of")[: limit * 5]:
        if f.name in seen:
            continue
        seen.add(f.name)
        f.label = registry.label(f.name)
        f.value = storage.from_storage(registry.get(f.name), f.value_number, f.value_text)
        out.append(f)
    return out[:limit]


def facts_version() -> tuple[int, int | None]:
    """(row count, highest id) of the stored facts: changes when facts are added or replaced by
    an import (a cache key; an in-place edit in the admin is announced by signal instead)."""
    agg = EnterpriseFact.objects.aggregate(n=Count("id"), m=Max("id"))
    return agg["n"], agg["m"]


def recent_imports(limit: int = 20) -> list[FactImport]:
    return list(FactImport.objects.select_related("imported_by")[:limit])
