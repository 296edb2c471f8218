"""A plain-Python interpreter of validated rule expressions (SQL three-valued logic).

Used by :func:`tongchou.rules.engine.explain` (the tracer, one enterprise at a time), as
the naive per-enterprise baseline in bench/match_bench.py, and as an independent oracle in
tests. ``None`` is SQL NULL. Semantics follow the normalised SQL: numbers are floats,
division by zero is NULL, LEAST/GREATEST/COALESCE skip NULLs.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlglot import exp

from tongchou.facts.registry import registry_argument

from .derive import derive
from .spec import RuleSpec


def evaluate_node(node: exp.Expression, facts: dict):
    """Value of a validated expression tree for one enterprise (None = NULL/unknown)."""
    ev = evaluate_node
    if isinstance(node, exp.Paren):
        return ev(node.this, facts)
    if isinstance(node, exp.Column):
        return facts.get(node.name)
    if isinstance(node, exp.Literal):
        return node.this if node.is_string else float(node.this)
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Cast):
        return dt.date.fromisoformat(node.this.this)
    if isinstance(node, exp.And):
        a, b = ev(node.this, facts), ev(node.expression, facts)
        if a is False or b is False:
            return False
        return None if a is None or b is None else True
    if isinstance(node, exp.Or):
        a, b = ev(node.this, facts), ev(node.expression, facts)
        if a is True or b is True:
            return True
        return None if a is None or b is None else False
    if isinstance(node, exp.Not):
        a = ev(node.this, facts)
        return None if a is None else not a
    if isinstance(node, exp.Is):
        return ev(node.this, facts) is None  # only IS NULL is valid
    if isinstance(node, exp.EQ | exp.NEQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
        a, b = ev(node.this, facts), ev(node.expression, facts)
        if a is None or b is None:
            return None
        if isinstance(node, exp.EQ):
            return a == b
        if isinstance(node, exp.NEQ):
            return a != b
        if isinstance(node, exp.GT):
            return a > b
        if isinstance(node, exp.GTE):
            return a >= b
        if isinstance(node, exp.LT):
            return a < b
        return a <= b
    if isinstance(node, exp.In):
        a = ev(node.this, facts)
        if a is None:
            return None
        values = [ev(v, facts) for v in node.expressions]
        if a in [v for v in values if v is not None]:
            return True
        return None if any(v is None for v in values) else False
    if isinstance(node, exp.Between):
        a, lo, hi = ev(node.this, facts), ev(node.args["low"], facts), ev(node.args["high"], facts)
        if a is None or lo is None or hi is None:
            if (a is not None and lo is not None and a < lo) or (a is not None and hi is not None and a > hi):
                return False
            return None
        return lo <= a <= hi
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div):
        a, b = ev(node.this, facts), ev(node.expression, facts)
        if a is None or b is None:
            return None
        if isinstance(node, exp.Add):
            return a + b
        if isinstance(node, exp.Sub):
            return a - b
        if isinstance(node, exp.Mul):
            return a * b
        return None if b == 0 else a / b
    if isinstance(node, exp.Neg):
        a = ev(node.this, facts)
        return None if a is None else -a
    if isinstance(node, exp.Abs):
        a = ev(node.this, facts)
        return None if a is None else abs(a)
    if isinstance(node, exp.Round):
        a = ev(node.this, facts)
        d = node.args.get("decimals")
        digits = int(ev(d, facts)) if d is not None else 0
        if a is None:
            return None
        return float(Decimal(repr(a)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    if isinstance(node, exp.Coalesce):
        for child in [node.this, *node.expressions]:
            v = ev(child, facts)
            if v is not None:
                return v
        return None
    if isinstance(node, exp.Least | exp.Greatest):
        vals = [v for v in (ev(c, facts) for c in [node.this, *node.expressions]) if v is not None]
        if not vals:
            return None
        return min(vals) if isinstance(node, exp.Least) else max(vals)
    if isinstance(node, exp.Case):
        for branch in node.args.get("ifs") or []:
            if ev(branch.this, facts) is True:
                return ev(branch.args["true"], facts)
        default = node.args.get("default")
        return ev(default, facts) if default is not None else None
    if isinstance(node, exp.If):
        if ev(node.this, facts) is True:
            return ev(node.args["true"], facts)
        false = node.args.get("false")
        return ev(false, facts) if false is not None else None
    if isinstance(node, exp.Nullif):
        a, b = ev(node.this, facts), ev(node.expression, facts)
        return None if a is not None and a == b else a
    raise ValueError(f"unsupported node {type(node).__name__}")


@registry_argument
def evaluate_rule(spec: RuleSpec, facts: dict, *, derived: bool = False) -> tuple[str, float | None, list]:
    """(status, value, condition values) of one rule for one enterprise; region and
    validity are the caller's business (see explain)."""
    f = facts if derived else derive(facts)
    values = [evaluate_node(c.tree, f) for c in spec.compiled_conditions()]
    value = None
    formula = spec.compiled_formula()
    if formula is not None:
        value = evaluate_node(formula.tree, f)
        if value is not None:
            value = max(0.0, float(value))
            if spec.benefit.cap is not None:
                value = min(value, spec.benefit.cap)
    region = f.get("region_code")
    if any(v is False for v in values):
        return "ineligible", None, values
    if any(v is None for v in values) or region is None:
        return "unknown", None, values
    if spec.benefit.kind == "cash" and formula is not None and value is None:
        return "unknown", None, values
    return "eligible", value, values
