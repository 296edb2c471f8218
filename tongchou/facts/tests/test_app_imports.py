"""enterprises no longer imports rules, and the facts app imports neither (the whole graph has no
cycle: core/tests/test_architecture.py)."""

from __future__ import annotations

from tongchou.core.tests.test_architecture import _graph


def test_enterprises_does_not_import_rules_and_facts_imports_neither():
    edges = _graph()
    assert "rules" not in edges.get("enterprises", {}), edges["enterprises"].get("rules")
    assert not {"rules", "enterprises"} & set(edges.get("facts", {})), dict(edges.get("facts", {}))
    assert "facts" in edges["rules"] and "facts" in edges["enterprises"]  # both go through facts
