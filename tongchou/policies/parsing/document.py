"""Orchestration: bytes/text → ParsedDocument, the JSON contract of `tongchou parse`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import metadata as md_mod
from . import quantities as q_mod
from . import structure, topics
from .decoding import decode_file
from .errors import ParseError
from .normalise import CJK_RE, normalise


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
    original: str, *, filename: str = "document.txt", slug: str | None = None, source_format: str = "txt"
) -> ParsedDocument:
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
    measures: list[ParsedMeasure] = []
    covered: list[tuple[int, int]] = []
    for d in drafts:
        body = text[d.start : d.end]
        persons, units = structure.responsibilities(body)
        title = structure.lead_phrase(body)
        measures.append(
            ParsedMeasure(
                id=f"{slug}/{d.number}",
                number=d.number,
                path=d.path,
                title=title,
                text=body,
                start=d.start,
                end=d.end,
                responsible_persons=persons,
                lead_units=units,
                quantities=[q for q in all_qs if d.start <= q.start < d.end],
                topics=topics.assign(title, body),
            )
        )
        covered.append((d.start, d.end))
    # Document-level figures: everything outside measures (for news reports: the whole text).
    doc_qs = [q for q in all_qs if not any(a <= q.start < b for a, b in covered)]
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


def parse_bytes(data: bytes, *, filename: str, slug: str | None = None) -> ParsedDocument:
    original, fmt = decode_file(data, filename)
    return parse_text(original, filename=filename, slug=slug, source_format=fmt)


def parse_file(path: str | Path, *, slug: str | None = None) -> ParsedDocument:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError("unreadable_file", f"无法读取文件：{p.name}", str(exc)) from exc
    return parse_bytes(data, filename=p.name, slug=slug)
