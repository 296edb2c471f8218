"""JSON API of the policy library (mounted at /api/policies/): public reads."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from tongchou.policies import selectors

router = Router(tags=["policies"])


class MeasureOut(Schema):
    id: str
    document: str
    number: str
    title: str
    path: list[str]
    lead_units: list[str]
    supporting_units: list[str]
    responsible_persons: list[str]
    topics: list[str]
    quantities: dict
    url: str


class SearchHitOut(MeasureOut):
    score: float
    snippet: str


class SearchOut(Schema):
    total: int
    tokens: list[str]
    hits: list[SearchHitOut]


def _measure(m) -> dict:
    return {
        "id": m.measure_id,
        "document": m.document.slug,
        "number": m.number,
        "title": m.title,
        "path": m.path,
        "lead_units": m.lead_units,
        "supporting_units": m.supporting_units,
        "responsible_persons": m.responsible_persons,
        "topics": m.topics,
        "quantities": m.quantities,
        "url": m.get_absolute_url(),
    }


@router.get("/search", response=SearchOut, auth=None, summary="检索政策措施", url_name="policies_search")
def search(
    request,
    q: str = "",
    region: str = "",
    issuer: str = "",
    lead_unit: str = "",
    topic: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 20,
):
    result = selectors.measure_search(
        q=q,
        region=region or None,
        issuer=issuer,
        lead_unit=lead_unit,
        topic=topic,
        date_from=date_from,
        date_to=date_to,
        limit=max(1, min(limit, 100)),
    )
    return {
        "total": result.total,
        "tokens": result.tokens,
        "hits": [{**_measure(h.measure), "score": h.score, "snippet": str(h.snippet)} for h in result.hits],
    }


@router.get(
    "/measures/similar",
    response=list[SearchHitOut],
    auth=None,
    summary="相似措施",
    url_name="policies_similar",
)
def similar(request, id: str = "", limit: int = 5):
    if not id:
        return []
    m = selectors.measure_by_id(id)
    return [
        {**_measure(s), "score": score, "snippet": s.text[:120]}
        for s, score in selectors.similar_measures(m, limit=max(1, min(limit, 20)))
    ]
