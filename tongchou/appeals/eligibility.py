"""Hook into the rules engine (tongchou.rules, built separately): when an appeal is about a policy
and comes from a registered enterprise, the handler sees that enterprise's eligibility explanation
for the rules of the measures the appeal cites or matches.

The hook degrades silently: no rules app, no Rule/Decision models, no decisions for the
enterprise → an empty list. What it reads from the rules app (documented contract):

- ``rules.Rule`` with ``measure_id`` (the policy library's ``Measure.measure_id``);
- ``rules.Decision`` with ``enterprise``, ``rule_id``, ``status`` (+ ``get_status_display``),
  ``explanation``, ``amount``, ``run`` (the latest decision per rule is shown).

Measures come from the appeal's ``measure_ids`` (cited in the form or the API) plus the measures
with rules whose text is most similar to the appeal (TF-IDF cosine ≥ 0.15, top 3).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.apps import apps
from django.db import DatabaseError

from tongchou.appeals.routing import TfIdf, tokens

log = logging.getLogger(__name__)
MATCH_THRESHOLD = 0.15
_index: tuple[float, list[str], TfIdf] | None = None


def _models() -> tuple[Any, Any, Any] | None:
    try:
        Rule = apps.get_model("rules", "Rule")
        Decision = apps.get_model("rules", "Decision")
    except LookupError:
        return None
    try:
        Measure = apps.get_model("policies", "Measure")
    except LookupError:
        Measure = None
    return Rule, Decision, Measure


def matched_measure_ids(text: str) -> list[str]:
    """Measures that have rules, ranked by similarity to *text* (cached index, 5 minutes)."""
    global _index
    found = _models()
    if not found:
        return []
    Rule, _, Measure = found
    if Measure is None:
        return []
    now = time.monotonic()
    if _index is None or now - _index[0] > 300:
        ids = sorted(set(Rule.objects.values_list("measure_id", flat=True)))
        texts = dict(Measure.objects.filter(measure_id__in=ids).values_list("measure_id", "text"))
        titles = dict(Measure.objects.filter(measure_id__in=ids).values_list("measure_id", "title"))
        ids = [i for i in ids if i in texts]
        _index = (now, ids, TfIdf([tokens(f"{titles.get(i, '')} {texts[i]}") for i in ids]))
    _, ids, index = _index
    vec = index.vector(tokens(text))
    scored = sorted(
        ((index.cosine(vec, v), i) for i, v in zip(ids, index.vectors, strict=True)), reverse=True
    )
    return [i for s, i in scored[:3] if s >= MATCH_THRESHOLD]


def eligibility_for_appeal(appeal: Any) -> list[dict[str, Any]]:
    """[{measure_id, rule_id, status, status_label, explanation, amount}] or [] when unavailable."""
    if not appeal.enterprise_id:
        return []
    found = _models()
    if not found:
        return []
    Rule, Decision, _ = found
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
