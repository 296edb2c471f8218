"""Reads of the policy library: fetches, full-text search, similar measures, routing knowledge."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, IntegerField, Max, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tongchou.core.errors import NotFound
from tongchou.core.text import TfIdf
from tongchou.policies.models import Measure, PolicyDocument
from tongchou.policies.parsing.topics import topic_labels
from tongchou.policies.tokens import query_tokens, word_tokens

# Long document columns a list of measures never shows (the offset map alone is thousands of runs).
HEAVY_DOCUMENT_FIELDS = (
    "document__text",
    "document__original_text",
    "document__offset_map",
    "document__quantities",
)


def measures_with_documents() -> QuerySet:
    """Measures joined to their document and region, without the heavy columns of either."""
    return Measure.objects.select_related("document", "document__region").defer(
        "tokens", *HEAVY_DOCUMENT_FIELDS
    )


def document_get(slug: str) -> PolicyDocument:
    doc = PolicyDocument.objects.select_related("region").filter(slug=slug).first()
    if doc is None:
        raise NotFound("没有找到这份政策文件。")
    return doc


def measure_get(slug: str, number: str) -> Measure:
    m = (
        Measure.objects.select_related("document", "document__region")
        .prefetch_related("lead_departments")
        .filter(document__slug=slug, number=number)
        .first()
    )
    if m is None:
        raise NotFound("没有找到这条政策措施。")
    return m


def measure_by_id(measure_id: str) -> Measure:
    m = Measure.objects.select_related("document").filter(measure_id=measure_id).first()
    if m is None:
        raise NotFound(f"没有找到措施 {measure_id}。")
    return m


def measure_neighbours(measure: Measure, around: int = 1) -> list[Measure]:
    """The measure with its neighbours in document order (for showing it in place)."""
    return list(
        Measure.objects.filter(
            document_id=measure.document_id,
            position__gte=measure.position - around,
            position__lte=measure.position + around,
        ).order_by("position")
    )


# ---------------------------------------------------------------------------------------------
# Full-text search


@dataclass
class SearchHit:
    measure: Measure
    score: float
    snippet: SafeString


@dataclass
class SearchResult:
    tokens: list[str]
    total: int
    hits: list[SearchHit] = field(default_factory=list)


def _fts_filter(qs: QuerySet, tokens: list[str]) -> QuerySet:
    if not tokens:
        return qs
    if connection.vendor == "sqlite":
        match = " ".join('"' + t.replace('"', "") + '"' for t in tokens)
        return qs.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM policies_measure_fts WHERE policies_measure_fts MATCH %s", (match,)
            )
        )
    if connection.vendor == "postgresql":
        # A subquery fenced with OFFSET 0 keeps the planner on the GIN index whatever else is joined
        # or filtered (otherwise a bad row estimate can make it evaluate to_tsvector row by row).
        return qs.filter(
            pk__in=RawSQL(
                "SELECT measure_id FROM policies_measure_tsv WHERE tsv @@ plainto_tsquery('simple', %s) OFFSET 0",
                (" ".join(tokens),),
            )
        )
    for t in tokens:  # any other database: same semantics with LIKE on the token column
        qs = (
            qs.filter(tokens__contains=f" {t} ")
            | qs.filter(tokens__startswith=f"{t} ")
            | qs.filter(tokens__endswith=f" {t}")
        )
    return qs


def filtered_measures(
    *,
    region: str | None = None,
    issuer: str = "",
    lead_unit: str = "",
    topic: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str = "",
) -> QuerySet:
    # Document-level filters select documents first (a small table), then their measures.
    docs = PolicyDocument.objects.all()
    doc_filtered = False
    if region:
        from tongchou.regions.models import Region

        reg = Region.objects.filter(pk=region).first()
        prefix = reg.prefix if reg is not None else region
        docs, doc_filtered = docs.filter(region__code__startswith=prefix), True
    if issuer:
        docs, doc_filtered = docs.filter(issuer_text__icontains=issuer), True
    if date_from:
        docs, doc_filtered = docs.filter(issued_on__gte=date_from), True
    if date_to:
        docs, doc_filtered = docs.filter(issued_on__lte=date_to), True
    if kind:
        docs, doc_filtered = docs.filter(kind=kind), True
    qs = Measure.objects.all()
    if doc_filtered:
        qs = qs.filter(document_id__in=docs.values("pk"))
    if lead_unit:
        qs = qs.filter(lead_units_text__icontains=lead_unit)
    if topic:
        qs = qs.filter(topics_text__contains=f" {topic} ")
    return qs


def measure_search(*, q: str = "", limit: int = 30, offset: int = 0, **filters) -> SearchResult:
    """Measures matching every query token (and the filters), best first.

    Matching is done by the database index (FTS5 / GIN); ranking is a plain SQL expression (query
    tokens in the title, then newer documents, then document order), so both databases return the
    same hits in the same order.
    """
    tokens = query_tokens(q) if q else []
    qs = _fts_filter(filtered_measures(**filters), tokens)
    if not tokens:
        total = qs.count()
        page = list(
            qs.select_related("document", "document__region")
            .defer("tokens", *HEAVY_DOCUMENT_FIELDS)
            .order_by("-document__issued_on", "document__slug", "position")[offset : offset + limit]
        )
        return SearchResult(tokens, total, [SearchHit(m, 0.0, _snippet(m.text, [])) for m in page])
    # Rank in SQL with an expression both databases evaluate identically: query tokens found in the
    # measure's title first, then newer documents, then document order.
    title_hits = sum(
        (
            Case(When(title__contains=t, then=Value(1)), default=Value(0), output_field=IntegerField())
            for t in tokens
        ),
        Value(0, output_field=IntegerField()),
    )
    ranked = qs.annotate(title_hits=title_hits).order_by("-title_hits", "rank_key")
    # Count without sorting; sort only the keys (a top-N in the database), then load the page's rows.
    total = qs.count()
    window = list(ranked.values_list("pk", "title_hits")[offset : offset + limit])
    by_pk = measures_with_documents().in_bulk([pk for pk, _ in window])
    hits = [SearchHit(by_pk[pk], float(th), _snippet(by_pk[pk].text, tokens)) for pk, th in window]
    return SearchResult(tokens, total, hits)


def highlight(text: str, tokens: list[str]) -> SafeString:
    """Escape `text` and wrap every occurrence of a query token in <mark>."""
    if not tokens:
        return mark_safe(escape(text))  # noqa: S308 - escaped above
    rx = re.compile("|".join(re.escape(t) for t in sorted(set(tokens), key=len, reverse=True)), re.I)
    out, pos = [], 0
    for m in rx.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def _snippet(text: str, tokens: list[str], width: int = 150) -> SafeString:
    start = 0
    if tokens:
        positions = [text.find(t) for t in tokens if text.find(t) >= 0]
        if positions:
            start = max(0, min(positions) - 30)
    piece = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(piece, tokens) + suffix)  # noqa: S308 - highlight escapes


# ---------------------------------------------------------------------------------------------
# Similar measures across documents: TF-IDF cosine over jieba tokens, cached in memory.


class _SimilarityIndex:
    def __init__(self) -> None:
        self.key: tuple | None = None
        self.lock = threading.Lock()
        self.vectors: dict[int, dict[str, float]] = {}
        self.doc_of: dict[int, int] = {}
        self.postings: dict[str, list[tuple[int, float]]] = {}

    def ensure(self) -> None:
        agg = Measure.objects.aggregate(n=Max("pk"))
        key = (Measure.objects.count(), agg["n"])
        if key == self.key:
            return
        with self.lock:
            if key == self.key:
                return
            rows = list(Measure.objects.values_list("pk", "document_id", "tokens"))
            # single characters are in the stored column for search, not for similarity
            index = TfIdf([[t for t in toks.split() if len(t) > 1] for _pk, _doc, toks in rows])
            pks = [pk for pk, _doc, _toks in rows]
            vectors = dict(zip(pks, index.vectors, strict=True))
            doc_of = {pk: doc_id for pk, doc_id, _toks in rows}
            postings = {t: [(pks[i], v) for i, v in entries] for t, entries in index.postings().items()}
            self.vectors, self.postings, self.doc_of, self.key = vectors, postings, doc_of, key

    def similar(self, pk: int, limit: int) -> list[tuple[int, float]]:
        self.ensure()
        vec = self.vectors.get(pk)
        if not vec:
            return []
        own_doc = self.doc_of[pk]
        scores: dict[int, float] = defaultdict(float)
        cap = max(50, len(self.vectors) // 20)  # words in more than 5% of measures say little
        for t, w in sorted(vec.items(), key=lambda x: -x[1])[:30]:
            posting = self.postings.get(t, ())
            if len(posting) > cap:
                continue
            for other, v in posting:
                if self.doc_of[other] != own_doc:
                    scores[other] += w * v
        return sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:limit]


_SIMILARITY = _SimilarityIndex()


def similar_measures(measure: Measure, limit: int = 5) -> list[tuple[Measure, float]]:
    """Most similar measures of *other* documents, best first, with a cosine score in [0, 1]."""
    ranked = _SIMILARITY.similar(measure.pk, limit)
    by_pk = measures_with_documents().in_bulk([pk for pk, _ in ranked])
    return [(by_pk[pk], round(score, 3)) for pk, score in ranked if pk in by_pk]


# ---------------------------------------------------------------------------------------------
# For appeal routing (issue 5): what each measure is about and who leads it.


@dataclass(frozen=True)
class RoutingMeasure:
    measure_id: str
    title: str
    tokens: tuple[str, ...]
    lead_units: tuple[str, ...]
    lead_department_ids: tuple[int, ...]
    region_code: str | None
    topics: tuple[str, ...]


def measures_for_routing(region_code: str | None = None) -> list[RoutingMeasure]:
    """Every measure with lead units (in the region and its ancestors/descendants when given).

    `tokens` are the same jieba tokens the search index uses; `lead_department_ids` are the
    departments the lead units resolved to in the document's region (unresolved names are kept in
    `lead_units` as written)."""
    qs = (
        Measure.objects.exclude(lead_units=[]).select_related("document").prefetch_related("lead_departments")
    )
    if region_code:
        from tongchou.regions.models import Region

        reg = Region.objects.filter(pk=region_code).first()
        if reg is not None:
            qs = qs.filter(document__region__code__startswith=reg.prefix[:4])
    out = []
    for m in qs.order_by("document__slug", "position"):
        out.append(
            RoutingMeasure(
                measure_id=m.measure_id,
                title=m.title,
                tokens=tuple(word_tokens(m.tokens)),
                lead_units=tuple(m.lead_units),
                lead_department_ids=tuple(d.pk for d in m.lead_departments.all()),
                region_code=m.document.region_id,
                topics=tuple(m.topics),
            )
        )
    return out


def topic_choices() -> list[tuple[str, str]]:
    return list(topic_labels().items())


def library_stats() -> dict:
    return {
        "documents": PolicyDocument.objects.count(),
        "measures": Measure.objects.count(),
        "policy_documents": PolicyDocument.objects.filter(kind="policy").count(),
    }
