"""Orchestration: bytes/text → ParsedDocument, the JSON contract of `tongchou parse`."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import metadata as md_mod
from . import quantities as q_mod
from . import structure, topics
from .decoding import decode_file
from .errors import ParseError
from .normalise import CJK_RE, normalise
from .units import normalise_units


@dataclass
class ParsedMeasure:
    id: str
    number: str
    path: list[str]
    title: str
    text: str
    start: int
    end: int
    responsible_persons: list[str]
    lead_units: list[str]
    quantities: list[q_mod.Quantity]
    topics: list[str]
    # Lead and supporting units are as written, or under the official names of the departments table
    # given to the parser (`departments=`) where it has the name.
    supporting_units: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[dict]:
        return [q.as_json() for q in self.quantities if q.kind == kind]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "number": self.number,
            "path": self.path,
            "title": self.title,
            "text": self.text,
            "responsible_persons": self.responsible_persons,
            "lead_units": self.lead_units,
            "supporting_units": self.supporting_units,
            "money": self.of_kind("money"),
            "percentages": self.of_kind("percentage"),
            "durations": self.of_kind("duration"),
            "dates": self.of_kind("date"),
            "counts": self.of_kind("count"),
            "topics": self.topics,
        }


@dataclass
class ParsedDocument:
    slug: str
    title: str
    kind: str
    issuers: list[str]
    doc_number: str | None
    cited_doc_numbers: list[str]
    date: str | None
    region_code: str | None
    region_name: str | None
    measures: list[ParsedMeasure]
    quantities: list[q_mod.Quantity]
    text: str
    original: str
    offset_runs: list[list[int]]
    source_format: str = "txt"
    warnings: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "issuers": self.issuers,
            "doc_number": self.doc_number,
            "cited_doc_numbers": self.cited_doc_numbers,
            "date": self.date,
            "region_code": self.region_code,
            "measures": [m.as_json() for m in self.measures],
            "quantities": [q.as_figure() for q in self.quantities],
        }


def slugify(stem: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return s or "document"


def default_slug(doc_number: str | None, filename: str) -> str:
    if doc_number:
        slug = md_mod.slug_for_doc_number(doc_number)
        if slug:
            return slug
    return slugify(Path(filename).stem)


def parse_text(
    original: str,
    *,
    filename: str = "document.txt",
    slug: str | None = None,
    source_format: str = "txt",
    departments: Mapping[str, Mapping[str, str]] | None = None,
) -> ParsedDocument:
    """Parse decoded text. `departments` (optional): region code (37 / 3703 / 370306) → {any name of
    a department there → its official name}; units are normalised with the table of the document's
    region and the regions above it."""
    norm = normalise(original)
    text = norm.text
    if len(CJK_RE.findall(text)) < 20 or len([x for x in text.split("\n") if CJK_RE.search(x)]) < 2:
        raise ParseError(
            "no_structure",
            "无法识别文档结构：文件中没有足够的中文段落（至少需要标题和正文）。请检查文件内容或编码。",
        )
    drafts = structure.find_measures(text)
    meta = md_mod.extract(text, norm.header_lines, has_measures=bool(drafts))
    slug = slug or default_slug(meta.doc_number, filename)
    default_year = int(meta.date[:4]) if meta.date else None
    # One pass over the whole text; each quantity then belongs to the measure that contains it.
    all_qs = q_mod.extract(text, default_year=default_year)
    names = _department_names(departments, meta.region_code)
    starts = [q.start for q in all_qs]
    in_measure = [False] * len(all_qs)
    measures: list[ParsedMeasure] = []
    for d in drafts:
        body = text[d.start : d.end]
        resp = structure.measure_responsibility(body)
        title = structure.lead_phrase(body)
        lo, hi = bisect_left(starts, d.start), bisect_left(starts, d.end)
        for k in range(lo, hi):
            in_measure[k] = True
        measures.append(
            ParsedMeasure(
                id=f"{slug}/{d.number}",
                number=d.number,
                path=d.path,
                title=title,
                text=body,
                start=d.start,
                end=d.end,
                responsible_persons=resp.persons,
                lead_units=normalise_units(resp.lead, names),
                quantities=all_qs[lo:hi],
                topics=topics.assign(title, body),
                supporting_units=normalise_units(resp.supporting, names),
            )
        )
    # Document-level figures: everything outside measures (for news reports: the whole text).
    doc_qs = [q for q, inside in zip(all_qs, in_measure, strict=True) if not inside]
    return ParsedDocument(
        slug=slug,
        title=meta.title,
        kind="policy" if measures else "news",
        issuers=meta.issuers,
        doc_number=meta.doc_number,
        cited_doc_numbers=meta.cited_doc_numbers,
        date=meta.date,
        region_code=meta.region_code,
        region_name=meta.region_name,
        measures=measures,
        quantities=doc_qs,
        text=text,
        original=original,
        offset_runs=norm.runs,
        source_format=source_format,
        warnings=norm.warnings,
    )


def _department_names(
    departments: Mapping[str, Mapping[str, str]] | None, region: str | None
) -> dict[str, str]:
    """Names of the document's region first, then of the regions above it (a county's 市财政局)."""
    if not departments or not region:
        return {}
    out: dict[str, str] = {}
    for code in (region, region[:4], region[:2]):
        for name, official in departments.get(code, {}).items():
            out.setdefault(name, official)
    return out


def parse_bytes(
    data: bytes,
    *,
    filename: str,
    slug: str | None = None,
    departments: Mapping[str, Mapping[str, str]] | None = None,
) -> ParsedDocument:
    original, fmt = decode_file(data, filename)
    return parse_text(original, filename=filename, slug=slug, source_format=fmt, departments=departments)


def parse_file(
    path: str | Path, *, slug: str | None = None, departments: Mapping[str, Mapping[str, str]] | None = None
) -> ParsedDocument:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError("unreadable_file", f"无法读取文件：{p.name}", str(exc)) from exc
    return parse_bytes(data, filename=p.name, slug=slug, departments=departments)
