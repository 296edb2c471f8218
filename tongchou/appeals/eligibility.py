"""Hook into the rules engine: when an appeal is about a policy and comes from a registered
enterprise, the handler sees that enterprise's eligibility explanation for the rules of the measures
the appeal cites or matches (no decisions for the enterprise → an empty list). What it reads:

- ``rules.Rule`` with ``measure_id`` (the policy library's ``Measure.measure_id``);
- ``rules.Decision`` with ``enterprise``, ``rule_id``, ``status`` (+ ``get_status_display``),
  ``explanation``, ``amount``, ``run`` (the latest decision per rule is shown).

Measures come from the appeal's ``measure_ids`` (cited in the form or the API) plus the measures
with rules whose text is most similar to the appeal (TF-IDF cosine ≥ 0.15, top 3).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError

from tongchou.appeals.routing import tokens
from tongchou.core.cache import process_cache
from tongchou.core.text import TfIdf

log = logging.getLogger(__name__)
MATCH_THRESHOLD = 0.15
# The measures that have rules, as TF-IDF vectors: rebuilt when a rule or a measure changes (bulk
# ingests fire no signal: the 5 minutes bound that).
_index = process_cache(
    "appeals.eligibility_index", ttl=300, invalidated_by=["rules.Rule", "policies.Measure"]
)


def _build_index() -> tuple[list[str], TfIdf]:
    from tongchou.policies.models import Measure
    from tongchou.rules.models import Rule

    ids = sorted(set(Rule.objects.values_list("measure_id", flat=True)))
    rows = Measure.objects.filter(measure_id__in=ids).values_list("measure_id", "title", "text")
    texts = {measure_id: f"{title or ''} {text}" for measure_id, title, text in rows}
    ids = [i for i in ids if i in texts]
    return ids, TfIdf([tokens(texts[i]) for i in ids])


def matched_measure_ids(text: str) -> list[str]:
    """Measures that have rules, ranked by similarity to *text*."""
    ids, index = _index.get("all", _build_index)
    vec = index.vector(tokens(text))
    scored = sorted(
        ((index.cosine(vec, v), i) for i, v in zip(ids, index.vectors, strict=True)), reverse=True
    )
    return [i for s, i in scored[:3] if s >= MATCH_THRESHOLD]


def eligibility_for_appeal(appeal: Any) -> list[dict[str, Any]]:
    """[{measure_id, rule_id, status, status_label, explanation, amount}] or [] when unavailable."""
    if not appeal.enterprise_id:
        return []
    from tongchou.rules.models import Decision, Rule

    try:
        measure_ids = list(dict.fromkeys([*(appeal.measure_ids or []), *matched_measure_ids(appeal.text)]))
        if not measure_ids:
            return []
        rules = dict(Rule.objects.filter(measure_id__in=measure_ids).values_list("id", "measure_id"))
        out = []
        for rule_id, measure_id in rules.items():
            d = (
                Decision.objects.filter(enterprise_id=appeal.enterprise_id, rule_id=rule_id)
                .order_by("-run_id", "-pk")
                .first()
            )
            if d is None:
                continue
            out.append(
                {
                    "measure_id": measure_id,
                    "rule_id": rule_id,
                    "status": d.status,
                    "status_label": d.get_status_display(),
                    "explanation": d.explanation,
                    "amount": d.amount,
                }
            )
        return out
    except (DatabaseError, AttributeError, ValueError):
        log.warning("读取企业政策比对结果失败", exc_info=True)
        return []
