"""Writes of the policy library: ingest a document (transactional), delete it, ingest the seeds."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction

from tongchou.core.audit import audit_record
from tongchou.core.errors import Conflict, ValidationFailed
from tongchou.policies.models import Measure, PolicyDocument
from tongchou.policies.parsing import ParsedDocument, ParseError, parse_bytes
from tongchou.policies.tokens import search_tokens

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
RESERVED_SLUGS = {"compare", "upload", "search", "api", "admin", "new"}
ACCEPTED_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".pdf")


class DocumentRejected(ValidationFailed):
    """The file could not be turned into a document (empty, binary, wrong encoding, no structure…)."""

    code = "document_rejected"


def region_pk(code: str | None) -> str | None:
    """'3703' → '370300', '5101' → '510100' (GB/T 2260 six digits). A division outside the
    platform's own table is added from the national table (with its parents), so a document from
    any Chinese city or county keeps its region."""
    if not code:
        return None
    from tongchou.regions.reference import division_ensure

    region = division_ensure(code.ljust(6, "0"))
    return region.pk if region is not None else None


def _department_map(region_id: str | None) -> dict[str, Any]:
    """Every name a department of this region goes by (name, short name, aliases) → department."""
    if not region_id:
        return {}
    from tongchou.regions.models import Department

    names: dict[str, Any] = {}
    for dept in Department.objects.filter(region_id=region_id, is_active=True):
        for name in dept.all_names:
            names.setdefault(name, dept)
    return names


def _index_rows(rows: list[tuple[int, str]]) -> None:
    """Keep the search side tables in step: SQLite FTS5 rows, PostgreSQL tsvector rows."""
    if not rows:
        return
    if connection.vendor == "sqlite":
        _unindex([pk for pk, _ in rows])  # stale rows survive a test flush; never collide with them
        with connection.cursor() as cur:
            cur.executemany("INSERT INTO policies_measure_fts(rowid, tokens) VALUES (%s, %s)", rows)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO policies_measure_tsv (measure_id, tsv) VALUES (%s, to_tsvector('simple', %s)) "
                "ON CONFLICT (measure_id) DO UPDATE SET tsv = EXCLUDED.tsv",
                rows,
            )


def _unindex(measure_ids: list[int]) -> None:
    table = {
        "sqlite": ("policies_measure_fts", "rowid"),
        "postgresql": ("policies_measure_tsv", "measure_id"),
    }
    if connection.vendor not in table or not measure_ids:
        return
    name, key = table[connection.vendor]
    with connection.cursor() as cur:
        for i in range(0, len(measure_ids), 500):
            chunk = measure_ids[i : i + 500]
            cur.execute(f"DELETE FROM {name} WHERE {key} IN ({','.join(['%s'] * len(chunk))})", chunk)  # noqa: S608


def _validate_slug(slug: str) -> None:
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise DocumentRejected(
            f"文档标识“{slug}”不可用：只能使用小写字母、数字和连字符（如 zhoucun-2020-8），且不能是保留字。",
            code="bad_slug",
            detail={"slug": slug},
        )


@dataclass
class PreparedDocument:
    """Everything ingest needs that does not touch the database (safe to compute in a worker process)."""

    parsed: ParsedDocument
    tokens: list[str]


def document_prepare(*, file_bytes: bytes, filename: str, slug: str | None = None) -> PreparedDocument:
    """Parse and tokenise a file. Raises DocumentRejected (Chinese message) for malformed files."""
    try:
        parsed = parse_bytes(file_bytes, filename=filename, slug=slug)
    except ParseError as exc:
        raise DocumentRejected(
            f"{filename}：{exc.message}", code=exc.code, detail={"file": filename, "reason": exc.detail}
        ) from exc
    _validate_slug(parsed.slug)
    return PreparedDocument(parsed, [search_tokens(m.text) for m in parsed.measures])


def document_ingest(
    *,
    file_bytes: bytes,
    filename: str,
    slug: str | None = None,
    actor: Any = None,
    prepared: PreparedDocument | None = None,
) -> PolicyDocument:
    """Parse and store one document with its measures, atomically.

    Malformed files (empty, binary, wrong encoding, no structure) raise DocumentRejected with a
    Chinese message and store nothing — neither rows nor the original file. `prepared` lets bulk
    ingest parse in worker processes (see `tongchou ingest --workers`).
    """
    if prepared is None:
        prepared = document_prepare(file_bytes=file_bytes, filename=filename, slug=slug)
    parsed = prepared.parsed
    stored_name: str | None = None
    doc = PolicyDocument(slug=parsed.slug)
    try:
        with transaction.atomic():
            if PolicyDocument.objects.filter(slug=parsed.slug).exists():
                raise Conflict(
                    f"文档标识“{parsed.slug}”已存在，请换一个标识（--slug）或先删除旧文档。",
                    detail={"slug": parsed.slug},
                )
            doc = _build_document(parsed, file_bytes=file_bytes, filename=filename, actor=actor)
            doc.original_file.save(
                f"{parsed.slug}{Path(filename).suffix.lower() or '.txt'}", ContentFile(file_bytes), save=False
            )
            stored_name = doc.original_file.name
            doc.save()
            _store_measures(doc, parsed, prepared.tokens)
            audit_record(
                actor=actor,
                action="policies.document_ingest",
                obj=doc,
                detail={"slug": doc.slug, "file": filename, "measures": len(parsed.measures)},
            )
    except Exception:
        if stored_name:
            doc.original_file.storage.delete(stored_name)
        raise
    return doc


def _build_document(
    parsed: ParsedDocument, *, file_bytes: bytes, filename: str, actor: Any
) -> PolicyDocument:
    import datetime as dt

    return PolicyDocument(
        slug=parsed.slug,
        title=parsed.title[:500],
        kind=parsed.kind,
        issuers=parsed.issuers,
        issuer_text="、".join(parsed.issuers)[:500],
        doc_number=parsed.doc_number or "",
        cited_doc_numbers=parsed.cited_doc_numbers,
        issued_on=dt.date.fromisoformat(parsed.date) if parsed.date else None,
        region_id=region_pk(parsed.region_code),
        original_filename=Path(filename).name[:255],
        original_sha256=hashlib.sha256(file_bytes).hexdigest(),
        source_format=parsed.source_format,
        original_text=parsed.original,
        text=parsed.text,
        offset_map=parsed.offset_runs,
        quantities=[q.as_figure() for q in parsed.quantities],
        warnings=parsed.warnings,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def rank_key(doc: PolicyDocument, position: int) -> str:
    """Default order of measures as one sortable string: newer documents first, then slug, then
    position (no join needed when sorting thousands of search hits)."""
    day = int(doc.issued_on.strftime("%Y%m%d")) if doc.issued_on else 0
    return f"{99999999 - day:08d}|{doc.slug}|{position:05d}"


def _store_measures(doc: PolicyDocument, parsed: ParsedDocument, tokens: list[str]) -> None:
    names = _department_map(doc.region_id)
    measures = []
    for pos, pm in enumerate(parsed.measures):
        j = pm.as_json()
        unresolved = [u for u in pm.lead_units if u not in names]
        measures.append(
            Measure(
                measure_id=pm.id,
                document=doc,
                number=pm.number,
                position=pos,
                path=pm.path,
                title=pm.title[:300],
                text=pm.text,
                start=pm.start,
                end=pm.end,
                responsible_persons=pm.responsible_persons,
                lead_units=pm.lead_units,
                lead_units_text="、".join(pm.lead_units)[:1000],
                unresolved_lead_units=unresolved,
                supporting_units=pm.supporting_units,
                quantities={k: j[k] for k in ("money", "percentages", "durations", "dates", "counts")},
                topics=pm.topics,
                topics_text=" " + " ".join(pm.topics) + " ",
                tokens=tokens[pos],
                rank_key=rank_key(doc, pos),
            )
        )
    Measure.objects.bulk_create(measures, batch_size=200)
    created = list(Measure.objects.filter(document=doc).order_by("position"))
    through = Measure.lead_departments.through
    links = []
    for m in created:
        seen = set()
        for unit in m.lead_units:
            dept = names.get(unit)
            if dept is not None and dept.pk not in seen:
                seen.add(dept.pk)
                links.append(through(measure_id=m.pk, department_id=dept.pk))
    through.objects.bulk_create(links, batch_size=500)
    _index_rows([(m.pk, m.tokens) for m in created])


def document_delete(*, document: PolicyDocument, actor: Any = None) -> None:
    with transaction.atomic():
        ids = list(document.measures.values_list("pk", flat=True))
        _unindex(ids)
        name = document.original_file.name
        slug = document.slug
        audit_record(actor=actor, action="policies.document_delete", obj=document, detail={"slug": slug})
        document.delete()
        if name:
            transaction.on_commit(lambda: document.original_file.storage.delete(name))


def seed_manifest() -> dict[str, str]:
    return json.loads((DATA_DIR / "seed_manifest.json").read_text(encoding="utf-8"))


def seed_documents_ingest(seeds_dir: Path, actor: Any = None) -> list[PolicyDocument]:
    """Ingest the seed documents named in the manifest, if the folder exists; skip slugs already
    ingested (idempotent). Returns the manifest's documents present afterwards, in manifest order."""
    seeds_dir = Path(seeds_dir)
    out: list[PolicyDocument] = []
    if not seeds_dir.is_dir():
        return out
    for filename, slug in seed_manifest().items():
        path = seeds_dir / filename
        existing = PolicyDocument.objects.filter(slug=slug).first()
        if existing is not None:
            out.append(existing)
            continue
        if not path.is_file():
            continue
        out.append(document_ingest(file_bytes=path.read_bytes(), filename=filename, slug=slug, actor=actor))
    return out
