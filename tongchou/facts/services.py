"""Writing facts: department data files, and values other services record.

* :func:`facts_import` — a department's data file (``tongchou import-facts``, the upload page,
  ``POST /api/facts/import``): read through :mod:`tongchou.core.tables` (bounds, header first,
  messy cells), every bad cell reported by row and column, all or nothing, with a ``FactImport``
  record and an audit entry.
* :func:`facts_write` — the one writer of dated values (an upsert per enterprise × name × date),
  used by :func:`facts_import` and by the registry import for its extra columns; call it inside
  your own service's transaction, which writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from tongchou.core import clock, tables
from tongchou.core.audit import audit_record
from tongchou.core.errors import ValidationFailed
from tongchou.core.signals import announce_enterprise_data_changed
from tongchou.facts import storage
from tongchou.facts.models import EnterpriseFact, FactImport
from tongchou.facts.registry import KEY, Fact, FactRegistry, FactType, current
from tongchou.facts.selectors import enterprise_model

# registry columns that only the enterprise registry (its import) may change
NOT_IMPORTABLE = {"region_code", "industry_code", "industry_section"}
MAX_ERRORS = 500
_TYPES = {
    FactType.NUMBER: "number",
    FactType.BOOL: "bool",
    FactType.DATE: "date",
    FactType.ENUM: "choice",
    FactType.TEXT: "text",
}


class FactsRefused(ValidationFailed):
    """A data file was refused; nothing was written. ``detail`` lists every problem as
    ``{row, column, value, message}``."""

    code = "facts_invalid"


def import_limits() -> tables.Limits:
    """Bounds of an uploaded data file (settings ``TONGCHOU_IMPORT_MAX_BYTES`` / ``_MAX_ROWS``)."""
    return tables.Limits(
        max_bytes=settings.TONGCHOU_IMPORT_MAX_BYTES,
        max_rows=settings.TONGCHOU_IMPORT_MAX_ROWS,
        max_cells=max(tables.UPLOAD_LIMITS.max_cells, settings.TONGCHOU_IMPORT_MAX_ROWS * 40),
    )


def fact_column(fact: Fact) -> tables.Column:
    """How a file's column for ``fact`` is read: by its name, Chinese label or aliases; typed and
    in the fact's unit (a 万元 header or cell on a 元 fact is converted)."""
    return tables.Column(
        key=fact.name,
        label=fact.label,
        type=_TYPES[fact.type],
        unit=fact.unit,
        aliases=fact.aliases,
        choices=tuple(zip(fact.choices, fact.choice_labels or fact.choices, strict=False)),
        max_length=storage.TEXT_MAX,
        max_abs=storage.NUMBER_MAX,
    )


def importable_columns(registry: FactRegistry | None = None) -> list[tables.Column]:
    """``uscc`` (required) plus every fact a department file may carry."""
    registry = registry or current()
    cols = [
        tables.Column(KEY, "统一社会信用代码", aliases=("信用代码", "社会信用代码")),
        tables.Column("name", "企业名称", aliases=("名称",)),
    ]
    cols += [fact_column(f) for name, f in registry.items() if name not in (KEY, "name")]
    return cols


def _refuse(errors: list[tables.RowError], *, total_rows: int | None = None) -> FactsRefused:
    rows = sorted({e.row for e in errors})
    first = errors[0]
    if len(errors) == 1:
        message = first.text()
    else:
        listed = "、".join(str(r) for r in rows[:10]) + ("等" if len(rows) > 10 else "")
        message = f"共 {len(errors)} 处错误（第{listed}行），首个：{first.text()}。未导入任何数据"
    return FactsRefused(message, detail=[{**e.as_dict(), "message": e.text()} for e in errors[:MAX_ERRORS]])


def _suggest(text: str, registry: FactRegistry) -> str:
    import difflib

    names = {**{n: n for n in registry}, **{f.label: n for n, f in registry.items()}}
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.6)
    return f"，您是否想写“{names[close[0]]}”？" if close else "。可用的事实名见事实清单。"


def _import_prefix(actor: Any) -> str | None:
    """Region prefix a person may import for (None = anywhere: administrators and the CLI)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    from tongchou.accounts.scope import user_region_prefix

    return user_region_prefix(actor)


def facts_import(
    *,
    file: Any,
    source: str,
    as_of: dt.date,
    actor: Any = None,
    file_name: str = "",
    limits: tables.Limits | None = None,
) -> FactImport:
    """Load a department's data file as facts dated ``as_of``. ``file``: a path, bytes or an
    uploaded file. Columns: ``uscc`` (统一社会信用代码) plus facts by name, Chinese label or alias;
    an empty cell is no value. All or nothing: a bad header, cell, unknown or out-of-region
    enterprise or repeated row refuses the whole file (:class:`FactsRefused`, every problem with
    its row and column; :class:`tongchou.core.tables.TableError` for an unreadable file)."""
    source = (source or "").strip()
    if not source:
        raise ValidationFailed(
            "请填写数据来源部门（来源，如 区人力资源社会保障局）。", code="facts_source_missing"
        )
    if len(source) > 100:
        raise ValidationFailed("数据来源部门名称不能超过100个字。", code="facts_source_too_long")
    name = file_name or Path(str(getattr(file, "name", "") or file)).name
    registry = current()
    columns = importable_columns(registry)
    with tables.open_table(file, filename=name, limits=limits or import_limits()) as table:
        head = tables.map_header(table.header, columns, unknown="keep")  # the header, before any row
        errors = list(head.errors)
        for i, text in head.unknown:
            errors.append(
                tables.RowError(1, text, text, f"未知的事实名“{text}”{_suggest(text, registry)}", i + 1)
            )
        for m in head.matches:
            if m.column.key in NOT_IMPORTABLE:
                errors.append(
                    tables.RowError(
                        1,
                        m.text,
                        m.text,
                        f"“{m.text}”是登记信息，请通过企业库修改，不能作为部门数据导入",
                        m.index + 1,
                    )
                )
        if KEY not in head.keys():
            errors.append(tables.RowError(1, "", "", "缺少“uscc”（统一社会信用代码）列"))
        if errors:
            raise _refuse(sorted(errors, key=lambda e: e.position))
        parsed = tables.parse_rows(table, columns, unknown="ignore", max_errors=MAX_ERRORS)
    errors = parsed.errors
    fact_names = [m.column.key for m in head.matches if m.column.key not in (KEY, "name")]
    usccs = [(r.row, (r.values.get(KEY) or "").replace(" ", "").upper()) for r in parsed.records]
    Enterprise = enterprise_model()
    known: dict[str, tuple[int, str]] = {}
    wanted = list({u for _, u in usccs if u})
    for i in range(0, len(wanted), 900):
        for uscc, pk, region in Enterprise.objects.filter(uscc__in=wanted[i : i + 900]).values_list(
            "uscc", "id", "region_id"
        ):
            known[uscc] = (pk, region)
    prefix = _import_prefix(actor)
    seen: dict[str, int] = {}
    for row, u in usccs:
        if len(errors) >= MAX_ERRORS:
            break
        # problems of the whole row (which enterprise), not of one cell: column ""
        if not u:
            errors.append(tables.RowError(row, "", "", "统一社会信用代码为空"))
        elif u not in known:
            errors.append(tables.RowError(row, "", u, f"统一社会信用代码“{u}”不在企业库中"))
        elif prefix is not None and not known[u][1].startswith(prefix):
            errors.append(tables.RowError(row, "", u, f"企业“{u}”不在您的管辖区域，不能导入其数据"))
        elif u in seen:
            errors.append(tables.RowError(row, "", u, f"统一社会信用代码“{u}”与第{seen[u]}行重复"))
        else:
            seen[u] = row
    if errors:
        raise _refuse(sorted(errors, key=lambda e: e.row))
    if not parsed.records:
        raise FactsRefused("文件中没有数据行。", detail=[])
    values = [
        (known[u][0], n, r.values[n])
        for (_, u), r in zip(usccs, parsed.records, strict=True)
        for n in fact_names
        if r.values.get(n) is not None
    ]
    with transaction.atomic():
        written = facts_write(values=values, source=source, as_of=as_of)
        record = FactImport.objects.create(
            source=source, as_of=as_of, file_name=name[:200], rows=len(parsed.records), facts=written,
            columns=fact_names, imported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="facts.import",
            obj=record,
            detail={"rows": record.rows, "facts": written, "source": source, "as_of": as_of.isoformat()},
        )
    return record


FIELDS = ["enterprise_id", "name", "value_number", "value_text", "source", "as_of", "imported_at"]


@transaction.atomic
def facts_write(
    *,
    values: Iterable[tuple[int, str, Any]],
    source: str,
    as_of: dt.date,
    now: dt.datetime | None = None,
) -> int:
    """Store ``(enterprise pk, fact name, typed value)`` triples dated ``as_of`` from ``source``;
    a value already stored for the same enterprise, name and date is replaced. Values of None are
    skipped. Returns the number written. Runs in the caller's transaction (the caller audits);
    readers' caches are told after commit. Plain ``executemany`` with the backend's own date
    adapters: the ORM's bulk_create was 3× slower on large files."""
    registry = current()
    now = now or clock.now()
    src = source[:100]
    rows = []
    for ent_id, name, value in values:
        if value is None:
            continue
        fact = registry.get(name)
        if fact is None:
            raise ValidationFailed(f"未知的事实“{name}”", code="facts_invalid")
        number, text = storage.to_storage(fact, value)
        rows.append((ent_id, name, number, text, src, as_of, now))
    if not rows:
        return 0
    announce_enterprise_data_changed(sender="facts_write")
    ops = connection.ops
    day, stamp = ops.adapt_datefield_value(as_of), ops.adapt_datetimefield_value(now)
    q = ops.quote_name
    updates = ", ".join(
        f"{q(c)} = excluded.{q(c)}" for c in ("value_number", "value_text", "source", "imported_at")
    )
    sql = (
        f"INSERT INTO {q(EnterpriseFact._meta.db_table)} ({', '.join(q(c) for c in FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(FIELDS))}) "
        f"ON CONFLICT ({q('enterprise_id')}, {q('name')}, {q('as_of')}) DO UPDATE SET {updates}"
    )
    params = [(e, n, num, text, s, day, stamp) for e, n, num, text, s, _, _ in rows]
    with connection.cursor() as cur:
        for i in range(0, len(params), 5000):
            cur.executemany(sql, params[i : i + 5000])
    return len(rows)
