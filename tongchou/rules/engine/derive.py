"""Derived facts in the engine, read from the fact registry's declarations.

Nothing here names a fact: a fact whose :class:`~tongchou.facts.registry.Derivation` is an
expression is computed from the same compiled tree

* in SQL (:func:`derived_sql`, part of the ``base`` CTE of the one query, identical text shape on
  DuckDB and PostgreSQL; a supplied value wins: ``COALESCE(column, derivation)``), and
* in Python (:func:`derive`, for the tracer), so both agree;

a fact whose derivation is a function is filled on the facts frame before the query
(:func:`tongchou.facts.frames.derive_frame`) and, for one enterprise, by its row function.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

import polars as pl
from sqlglot import exp

from tongchou.facts.registry import FactRegistry, FactType, current, registry_argument

from .compiler import compile_expression, generate, normalise
from .errors import RuleError


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_EXPECT = {FactType.NUMBER: "number", FactType.BOOL: "bool"}


def derivation_tree(name: str) -> exp.Expression:
    """The validated expression tree of an expression-derived fact (compiled once per registry)."""
    registry = current()
    return _tree(name, registry, registry.version)


@functools.lru_cache(maxsize=256)
def _tree(name: str, registry: FactRegistry, version: int) -> exp.Expression:
    fact = registry[name]
    if fact.derivation is None or not fact.derivation.expression:
        raise KeyError(f"fact {name!r} has no expression derivation")
    expect = _EXPECT.get(fact.type, "any")
    compiled, errors = compile_expression(
        fact.derivation.expression, field=f"derivation.{name}", expect=expect
    )
    if errors or compiled is None:
        raise RuleError(list(errors), source=f"事实“{name}”的推算公式")
    return compiled.tree


def is_expression_derived(name: str) -> bool:
    fact = current().get(name)
    return fact is not None and fact.derivation is not None and fact.derivation.kind == "expression"


def derived_sql(name: str, available: set[str], dialect: str, sql_types: dict) -> str:
    """SQL computing ``name`` from the source's columns: inputs absent from the source are typed
    NULLs, derived inputs are themselves ``COALESCE(column, derivation)``; a column of the fact
    itself in the source wins."""
    registry = current()
    derived = generate(normalise(_substituted(name, available, sql_types), dialect=dialect), dialect=dialect)
    fact = registry[name]
    if fact.type != FactType.NUMBER:
        derived = f"CAST(({derived}) AS {sql_types[fact.type]})"
    if name in available:
        raw = f"CAST({_q(name)} AS {sql_types[fact.type]})"
        return f"COALESCE({raw}, {derived})"
    return derived


def _substituted(name: str, available: set[str], sql_types: dict) -> exp.Expression:
    registry = current()
    tree = derivation_tree(name).copy()

    def replace(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Column):
            return node
        col = node.name
        if is_expression_derived(col):
            inner = _substituted(col, available, sql_types)
            if col in available:
                return exp.Coalesce(this=node.copy(), expressions=[inner])
            return inner
        if col not in available:
            return exp.Cast(this=exp.Null(), to=exp.DataType.build(sql_types[registry[col].type]))
        return node

    return tree.transform(replace)


# --- one enterprise (the tracer) ------------------------------------------------------------------
@registry_argument
def derive(facts: dict) -> dict:
    """Facts coerced to their registry types, with every derived fact computed where absent (in
    dependency order). Unknown names are dropped."""
    from .reference import evaluate_node

    registry = current()
    out = {}
    for k, v in facts.items():
        fact = registry.get(k)
        if fact is None:
            continue
        out[k] = coerce(v, fact.type)
    for fact in registry.derived():
        if out.get(fact.name) is not None:
            continue
        d = fact.derivation
        if d is None:  # pragma: no cover - derived() lists derived facts only
            continue
        try:
            if d.kind == "expression":
                value = evaluate_node(derivation_tree(fact.name), out)
            else:
                value = _by_function(d, out)
        except RuleError:
            raise
        except Exception:  # a derivation that cannot decide leaves the fact missing
            value = None
        out[fact.name] = None if value is None else coerce(value, fact.type)
    return out


def derive_one(name: str, facts: dict):
    """The derived value of ``name`` from already-typed ``facts`` (its derived inputs computed
    first where missing); None when it cannot be computed."""
    from .reference import evaluate_node

    fact = current()[name]
    d = fact.derivation
    if d is None:
        return facts.get(name)
    values = facts
    for x in d.inputs:
        dep = current().get(x)
        if values.get(x) is None and dep is not None and dep.derivation is not None:
            values = {**values, x: derive_one(x, values)}
    try:
        if d.kind == "expression":
            return evaluate_node(derivation_tree(name), values)
        return _by_function(d, values)
    except RuleError:
        raise
    except Exception:
        return None


def _by_function(d, values: dict):
    row = d.row_function()
    if row is not None:
        return row(values)
    fn = d.frame_function()
    if fn is None:
        return None
    frame = pl.DataFrame({k: [values.get(k)] for k in d.inputs})
    series = fn(frame)
    return None if series is None else series[0]


def coerce(v, t: FactType):
    if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip()):
        return None
    if t == FactType.NUMBER:
        return float(v)
    if t == FactType.BOOL:
        if isinstance(v, str):
            return v.strip().lower() in ("true", "t", "1", "yes", "y", "是")
        return bool(v)
    if t == FactType.DATE:
        return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
    return str(v)
