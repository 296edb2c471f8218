"""The rules engine (pure: no Django). Public API:

    load_rules(path) -> list[RuleSpec]
    RuleSpec.from_dict(data) / spec.to_dict()
    validate_rule(spec) -> list[ErrorDetail]
    compile_expression(text, expect="bool"|"number") -> (Compiled | None, list[ErrorDetail])
    evaluate(rules, facts_frame, as_of, engine="duckdb"|"postgres", connection=None,
             source=None, keep="all"|"matched"|"relevant") -> polars.DataFrame
    evaluate_compact(...same arguments...) -> CompactResult (numbers only; .to_frame() == evaluate(...),
             .iter_frames(batch) renders words batch by batch)
    explain(rules, facts_dict, as_of) -> list[RuleTrace]
    read_enterprises(path) / prepare_facts(frame) -> polars.DataFrame (typed snapshot)

Facts (names, types, labels, derivations) come from the fact registry,
``tongchou.facts.registry.current()``; each function above also takes ``registry=`` to evaluate
with another one (a module's own facts, a test's). See docs/ARCHITECTURE.md, "rules" → "engine"
and "facts".
"""

from .compiler import Comparison, Compiled, comparisons, compile_expression, simple_comparison
from .errors import ErrorDetail, FactsError, RuleError
from .evaluate import KEEP, RESULT_SCHEMA, CompactResult, build_query, evaluate, evaluate_compact, plan_rules
from .explain import ConditionTrace, FactValue, RuleTrace, explain
from .snapshot import load_into_postgres, prepare_facts, read_enterprises
from .spec import (
    BENEFIT_KINDS,
    DELIVERY_MODES,
    DOCUMENT_ISSUED,
    Benefit,
    Condition,
    Example,
    RuleSpec,
    load_rules,
    rules_in_force,
    validate_rule,
)

__all__ = [
    "BENEFIT_KINDS",
    "DELIVERY_MODES",
    "DOCUMENT_ISSUED",
    "KEEP",
    "RESULT_SCHEMA",
    "Benefit",
    "CompactResult",
    "Comparison",
    "Compiled",
    "Condition",
    "ConditionTrace",
    "ErrorDetail",
    "Example",
    "FactValue",
    "FactsError",
    "RuleError",
    "RuleSpec",
    "RuleTrace",
    "build_query",
    "comparisons",
    "compile_expression",
    "evaluate",
    "evaluate_compact",
    "explain",
    "load_into_postgres",
    "load_rules",
    "plan_rules",
    "prepare_facts",
    "read_enterprises",
    "rules_in_force",
    "simple_comparison",
    "validate_rule",
]
