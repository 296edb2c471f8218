"""Vectorised evaluation: a whole rule pack over a whole population in ONE SQL query.

The query (built by :func:`build_query`, same text shape for DuckDB and PostgreSQL):

* ``base``: the facts snapshot with the columns the pack reads (missing columns become
  typed NULLs; ``layoff_rate`` derived where absent);
* per rule, a SELECT over ``base`` restricted to the rule's region (prefix of
  ``region_code``; a missing region makes the rule unknown) computing every condition as a
  boolean column (SQL three-valued logic: NULL = unknown), the benefit formula, the status,
  the failed-condition count, the missing facts and the near-miss data;
* ``UNION ALL`` of those; ``keep`` filters rows inside the query.

Explanations and number formatting happen afterwards in polars (the same code for both
engines, so their results are identical).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from tongchou.rules import facts as schema
from tongchou.rules.facts import FactType

from .compiler import Comparison, Compiled, simple_comparison
from .spec import BENEFIT_KINDS, RuleSpec, rules_in_force

KEEP = ("all", "matched", "relevant")
RESULT_SCHEMA = {
    "uscc": pl.String,
    "rule_id": pl.String,
    "rule_version": pl.Int64,
    "measure_id": pl.String,
    "status": pl.String,
    "amount_yuan": pl.Float64,
    "benefit_kind": pl.String,
    "benefit_value": pl.Float64,
    "condition_values": pl.List(pl.Boolean),
    "failed_conditions": pl.Int64,
    "missing_facts": pl.List(pl.String),
    "near_miss": pl.Boolean,
    "near_miss_fact": pl.String,
    "near_miss_value": pl.Float64,
    "near_miss_threshold": pl.Float64,
    "near_miss_gap": pl.Float64,
    "explanation": pl.String,
}
_LAYOFF_INPUTS = ("insured_employees_prev_year_end", "insured_employees")
_NEGATE = {"<=": ">", "<": "≥", ">=": "<", ">": "≤", "=": "≠", "<>": "="}
_SQL_TYPES = {
    "duckdb": {FactType.NUMBER: "DOUBLE", FactType.TEXT: "VARCHAR", FactType.ENUM: "VARCHAR",
               FactType.BOOL: "BOOLEAN", FactType.DATE: "DATE"},
    "postgres": {FactType.NUMBER: "DOUBLE PRECISION", FactType.TEXT: "TEXT", FactType.ENUM: "TEXT",
                 FactType.BOOL: "BOOLEAN", FactType.DATE: "DATE"},
}  # fmt: skip


@dataclass(frozen=True)
class RulePlan:
    """A validated rule ready for SQL generation."""

    spec: RuleSpec
    conditions: tuple[Compiled, ...]
    formula: Compiled | None
    comparisons: tuple[Comparison | None, ...]

    @classmethod
    def of(cls, spec: RuleSpec) -> RulePlan:
        conds = tuple(spec.compiled_conditions())
        return cls(spec, conds, spec.compiled_formula(), tuple(simple_comparison(c.tree) for c in conds))

    @property
    def facts(self) -> list[str]:
        out: list[str] = []
        for c in [*self.conditions, *([self.formula] if self.formula else [])]:
            for f in c.facts:
                if f not in out:
                    out.append(f)
        return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _num(x: float) -> str:
    return repr(float(x))


def build_query(
    plans: list[RulePlan], *, source: str, available: set[str], dialect: str, keep: str = "all"
) -> str:
    """The single SQL query evaluating ``plans`` over ``source`` (a FROM item)."""
    if keep not in KEEP:
        raise ValueError(f"keep must be one of {KEEP}")
    types = _SQL_TYPES[dialect]
    dbl = types[FactType.NUMBER]
    used: list[str] = [schema.KEY, "region_code"]
    for p in plans:
        for f in p.facts:
            if f not in used:
                used.append(f)
            if f == "layoff_rate":
                used.extend(x for x in _LAYOFF_INPUTS if x not in used)
    base_cols = []
    for f in used:
        if f == "layoff_rate":
            continue
        if f in available:
            base_cols.append(_q(f))
        else:
            base_cols.append(f"CAST(NULL AS {types[schema.FACTS[f].type]}) AS {_q(f)}")
    if "layoff_rate" in used:
        p_, n_ = (
            f"CAST({_q(x)} AS {dbl})" if x in available else f"CAST(NULL AS {dbl})" for x in _LAYOFF_INPUTS
        )
        derived = (
            f"CASE WHEN {p_} > 0 AND {n_} IS NOT NULL THEN "
            f"(CASE WHEN {p_} - {n_} > 0 THEN {p_} - {n_} ELSE CAST(0 AS {dbl}) END) / {p_} END"
        )
        raw = f"CAST({_q('layoff_rate')} AS {dbl})" if "layoff_rate" in available else None
        base_cols.append(
            f"{'COALESCE(' + raw + ', ' + derived + ')' if raw else derived} AS {_q('layoff_rate')}"
        )
    base = f"SELECT {', '.join(base_cols)} FROM {source}"
    parts = [_rule_select(i, p, dialect, keep) for i, p in enumerate(plans)]
    return f"WITH base AS ({base})\n" + "\nUNION ALL\n".join(parts)


def _missing_terms(cond: str, fact: str) -> list[str]:
    """SQL CASE terms naming a missing fact read by a condition that came out NULL."""
    if fact == "layoff_rate":
        p_, n_ = _LAYOFF_INPUTS
        return [
            f"CASE WHEN {cond} IS NULL AND {_q('layoff_rate')} IS NULL AND {_q(p_)} IS NULL THEN {_lit(p_)} END",
            f"CASE WHEN {cond} IS NULL AND {_q('layoff_rate')} IS NULL AND {_q(n_)} IS NULL THEN {_lit(n_)} END",
            f"CASE WHEN {cond} IS NULL AND {_q('layoff_rate')} IS NULL AND {_q(p_)} IS NOT NULL "
            f"AND {_q(n_)} IS NOT NULL THEN {_lit('layoff_rate')} END",
        ]
    return [f"CASE WHEN {cond} IS NULL AND {_q(fact)} IS NULL THEN {_lit(fact)} END"]


def _rhs_sql(cmp: Comparison, dialect: str) -> str:
    from .compiler import generate, normalise

    return generate(normalise(cmp.rhs, dialect=dialect), dialect=dialect)


def _rule_select(i: int, plan: RulePlan, dialect: str, keep: str) -> str:
    spec = plan.spec
    dbl = _SQL_TYPES[dialect][FactType.NUMBER]
    n = len(plan.conditions)
    cnames = [f"c{j}" for j in range(n)]
    inner_cols = [_q(schema.KEY), _q("region_code")]
    pass_facts = [f for f in plan.facts if f not in (schema.KEY, "region_code")]
    if "layoff_rate" in pass_facts:
        pass_facts += [x for x in _LAYOFF_INPUTS if x not in pass_facts]
    inner_cols += [_q(f) for f in pass_facts]
    inner_cols += [f"({c.sql(dialect)}) AS {name}" for c, name in zip(plan.conditions, cnames, strict=True)]
    cash = spec.benefit.kind == "cash"
    if plan.formula is not None:
        value = f"CAST(({plan.formula.sql(dialect)}) AS {dbl})"
        value = f"CASE WHEN {value} < 0 THEN CAST(0 AS {dbl}) ELSE {value} END"
        if spec.benefit.cap is not None:
            value = f"LEAST({value}, CAST({_num(spec.benefit.cap)} AS {dbl}))"
    else:
        value = f"CAST(NULL AS {dbl})"
    inner_cols.append(f"{value} AS amt")
    region = spec.region
    inner = (
        f"SELECT {', '.join(inner_cols)} FROM base WHERE ({_q('region_code')} IS NULL OR "
        f"SUBSTR({_q('region_code')}, 1, {len(region)}) = {_lit(region)})"
    )
    any_false = " OR ".join(f"{c} IS FALSE" for c in cnames)
    any_null = " OR ".join([f"{c} IS NULL" for c in cnames] + [f"{_q('region_code')} IS NULL"])
    formula_missing = " OR amt IS NULL" if (cash and plan.formula is not None) else ""
    status = (
        f"CASE WHEN {any_false} THEN 'ineligible' WHEN {any_null}{formula_missing} THEN 'unknown' "
        f"ELSE 'eligible' END"
    )
    codes = " || ".join(f"(CASE WHEN {c} THEN '1' WHEN NOT {c} THEN '0' ELSE '-' END)" for c in cnames)
    failed = " + ".join(f"(CASE WHEN {c} IS FALSE THEN 1 ELSE 0 END)" for c in cnames)
    missing_terms: list[str] = []
    for c, name in zip(plan.conditions, cnames, strict=True):
        for f in c.facts:
            missing_terms += _missing_terms(name, f)
    missing_terms.append(f"CASE WHEN {_q('region_code')} IS NULL THEN 'region_code' END")
    if cash and plan.formula is not None:
        for f in plan.formula.facts:
            missing_terms += _missing_terms("amt", f)
    nm_pick = " ".join(f"WHEN {c} IS FALSE THEN {j}" for j, c in enumerate(cnames))
    nm_values = [
        f"WHEN {c} IS FALSE THEN CAST({_q(cmp.fact)} AS {dbl})"
        for c, cmp in zip(cnames, plan.comparisons, strict=True)
        if cmp is not None
    ]
    nm_value = f"CASE {' '.join(nm_values)} END" if nm_values else f"CAST(NULL AS {dbl})"
    nm_thresholds = [
        f"WHEN {c} IS FALSE THEN CAST(({_rhs_sql(cmp, dialect)}) AS {dbl})"
        for c, cmp in zip(cnames, plan.comparisons, strict=True)
        if cmp is not None
    ]
    nm_threshold = f"CASE {' '.join(nm_thresholds)} END" if nm_thresholds else f"CAST(NULL AS {dbl})"
    mid = (
        f"SELECT {_q(schema.KEY)}, {status} AS status, amt, {codes} AS codes, {failed} AS failed, "
        f"(CASE WHEN ({any_false}) OR NOT ({any_null}{formula_missing}) THEN NULL ELSE "
        f"concat_ws(',', {', '.join(missing_terms)}) END) AS missing, "
        f"(CASE WHEN ({failed}) = 1 AND NOT ({any_null}) THEN (CASE {nm_pick} END) END) AS nm_cond, "
        f"(CASE WHEN ({failed}) = 1 AND NOT ({any_null}) THEN {nm_value} END) AS nm_value, "
        f"(CASE WHEN ({failed}) = 1 AND NOT ({any_null}) THEN {nm_threshold} END) AS nm_threshold "
        f"FROM ({inner}) AS r{i}"
    )
    where = ""
    if keep == "matched":
        where = " WHERE status <> 'ineligible'"
    elif keep == "relevant":
        where = " WHERE status <> 'ineligible' OR nm_cond IS NOT NULL"
    return (
        f"SELECT {_q(schema.KEY)} AS uscc, {i} AS rule_idx, status, "
        f"CASE WHEN status = 'eligible' THEN amt END AS value, codes, failed, missing, nm_cond, nm_value, "
        f"nm_threshold "
        f"FROM ({mid}) AS m{i}{where}"
    )


_SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


def _from_item(source: str) -> str:
    source = source.strip()
    if _SIMPLE_NAME.match(source):
        return ".".join(_q(p) for p in source.split("."))
    if source.startswith("("):
        return f"{source} AS facts_source"
    return f"({source}) AS facts_source"


def plan_rules(rules: list[RuleSpec], as_of: dt.date) -> list[RulePlan]:
    return [RulePlan.of(r) for r in rules_in_force(list(rules), as_of)]


def evaluate(
    rules: list[RuleSpec],
    facts: pl.DataFrame | None,
    as_of: dt.date,
    *,
    engine: str = "duckdb",
    connection=None,
    source: str | None = None,
    keep: str = "all",
) -> pl.DataFrame:
    """Evaluate the rules in force on ``as_of`` over every enterprise.

    * ``engine="duckdb"``: ``facts`` is a snapshot frame (see snapshot.prepare_facts); it is
      scanned zero-copy through Arrow by an in-memory DuckDB (or by ``connection`` if given;
      with ``source`` and no frame, the named table/view of that DuckDB connection is used).
    * ``engine="postgres"``: ``connection`` is a DB-API connection (psycopg) and ``source``
      a table/view name or a SELECT shaped like the snapshot (one row per enterprise, one
      column per fact; derived ``size_class`` must be present; ``layoff_rate`` is derived).
    * ``keep``: ``all`` rows; ``matched`` = eligible + unknown; ``relevant`` = matched +
      near misses.

    Returns one row per (enterprise in the rule's region, rule) with RESULT_SCHEMA columns.
    """
    plans = plan_rules(rules, as_of)
    if not plans:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    if facts is not None and any("size_class" in p.facts for p in plans):
        from .snapshot import derive_size_class

        facts = derive_size_class(facts)
    if engine == "duckdb":
        raw = _run_duckdb(plans, facts, connection, source, keep)
    elif engine == "postgres":
        if connection is None:
            raise ValueError("engine='postgres' needs a DB-API connection")
        raw = _run_postgres(plans, facts, connection, source, keep)
    else:
        raise ValueError(f"unknown engine {engine!r}")
    return finish(raw, plans)


def _run_duckdb(plans, facts, connection, source, keep) -> pl.DataFrame:
    import duckdb

    con = connection or duckdb.connect()
    try:
        if facts is not None:
            name = "tongchou_facts_snapshot"
            con.register(name, facts)
            available = set(facts.columns)
            from_item = _q(name)
        else:
            if not source:
                raise ValueError("give a facts frame or a source table")
            from_item = _from_item(source)
            available = {d[0] for d in con.execute(f"SELECT * FROM {from_item} LIMIT 0").description}
        _require_key(available)
        sql = build_query(plans, source=from_item, available=available, dialect="duckdb", keep=keep)
        raw = pl.from_arrow(con.sql(sql).to_arrow_table())
        if facts is not None:
            con.unregister(name)
        return raw
    finally:
        if connection is None:
            con.close()


def _run_postgres(plans, facts, connection, source, keep) -> pl.DataFrame:
    if facts is not None and not source:
        from .snapshot import load_into_postgres

        source = "tongchou_facts_snapshot"
        load_into_postgres(connection, facts, source, temporary=True)
    if not source:
        raise ValueError("engine='postgres' needs source (a table, view or SELECT) or a facts frame")
    from_item = _from_item(source)
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {from_item} LIMIT 0")
        available = {d[0] for d in cur.description}
        _require_key(available)
        cur.execute(build_query(plans, source=from_item, available=available, dialect="postgres", keep=keep))
        rows = cur.fetchall()
    return pl.DataFrame(
        rows,
        schema={
            "uscc": pl.String,
            "rule_idx": pl.Int64,
            "status": pl.String,
            "value": pl.Float64,
            "codes": pl.String,
            "failed": pl.Int64,
            "missing": pl.String,
            "nm_cond": pl.Int64,
            "nm_value": pl.Float64,
            "nm_threshold": pl.Float64,
        },  # fmt: skip
        orient="row",
    )


def _require_key(available: set[str]) -> None:
    from .errors import FactsError

    if schema.KEY not in available:
        raise FactsError("企业数据缺少“uscc”（统一社会信用代码）列")


def _fmt_number(expr: pl.Expr) -> pl.Expr:
    """Shortest readable decimal text for a float (6 decimals at most, no trailing .0)."""
    return expr.round(6).cast(pl.String).str.replace(r"\.0$", "")


def _fmt_money(expr: pl.Expr) -> pl.Expr:
    cents = (expr * 100).round(0).cast(pl.Int64)
    return pl.format("{}.{}", cents // 100, (cents % 100).cast(pl.String).str.zfill(2))


def finish(raw: pl.DataFrame, plans: list[RulePlan]) -> pl.DataFrame:
    """Turn the raw query rows into the public result frame (ids, lists, explanations)."""
    if raw.height == 0:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    raw = raw.with_columns(
        pl.col("rule_idx").cast(pl.Int64),
        pl.col("failed").cast(pl.Int64),
        pl.col("nm_cond").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
        pl.col("nm_value").cast(pl.Float64),
        pl.col("nm_threshold").cast(pl.Float64),
    )
    # per-rule constants
    rules_frame = pl.DataFrame(
        {
            "rule_idx": list(range(len(plans))),
            "rule_id": [p.spec.id for p in plans],
            "rule_version": [p.spec.version for p in plans],
            "measure_id": [p.spec.measure_id for p in plans],
            "benefit_kind": [p.spec.benefit.kind for p in plans],
            "has_formula": [p.formula is not None for p in plans],
        },
        schema_overrides={"rule_idx": pl.Int64, "rule_version": pl.Int64},
    )
    # near-miss constants per (rule, condition)
    nm_rows = [
        (i, j, cmp.fact)
        for i, p in enumerate(plans)
        for j, cmp in enumerate(p.comparisons)
        if cmp is not None
    ]
    nm_frame = pl.DataFrame(
        nm_rows, schema={"rule_idx": pl.Int64, "nm_cond": pl.Int64, "near_miss_fact": pl.String}, orient="row"
    )
    # explanation templates per distinct (rule, status, codes, missing, nm_cond)
    keys = raw.select("rule_idx", "status", "codes", "missing", "nm_cond").unique()
    templates = [
        _template(plans[k["rule_idx"]], k["status"], k["codes"], k["missing"], k["nm_cond"])
        for k in keys.iter_rows(named=True)
    ]
    keys = keys.with_columns(pl.Series("template", templates, dtype=pl.String))
    df = (
        raw.join(rules_frame, on="rule_idx", how="left")
        .join(nm_frame, on=["rule_idx", "nm_cond"], how="left")
        .join(keys, on=["rule_idx", "status", "codes", "missing", "nm_cond"], how="left", nulls_equal=True)
    )
    money = _fmt_money(pl.col("value"))
    df = df.with_columns(
        pl.when(pl.col("status") == "eligible").then(pl.col("value").round(2)).alias("benefit_value"),
        pl.when((pl.col("status") == "eligible") & (pl.col("benefit_kind") == "cash"))
        .then(pl.col("value").round(2))
        .alias("amount_yuan"),
        pl.col("codes")
        .str.split("")
        .list.eval(pl.element().replace_strict({"1": True, "0": False, "-": None}, return_dtype=pl.Boolean))
        .alias("condition_values"),
        pl.when(pl.col("missing").is_not_null() & (pl.col("missing") != ""))
        .then(pl.col("missing").str.split(",").list.unique(maintain_order=True))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("missing_facts"),
        pl.col("nm_cond").is_not_null().alias("near_miss"),
        pl.when(pl.col("near_miss_fact").is_not_null()).then(pl.col("nm_value")).alias("near_miss_value"),
        pl.when(pl.col("near_miss_fact").is_not_null())
        .then(pl.col("nm_threshold"))
        .alias("near_miss_threshold"),
        pl.when(pl.col("near_miss_fact").is_not_null())
        .then((pl.col("nm_value") - pl.col("nm_threshold")).abs().round(6))
        .alias("near_miss_gap"),
    )
    df = df.with_columns(
        pl.col("template")
        .str.replace("{AMOUNT}", pl.coalesce(money, pl.lit("")), literal=True)
        .str.replace("{VALUE}", pl.coalesce(_fmt_number(pl.col("near_miss_value")), pl.lit("")), literal=True)
        .str.replace("{GAP}", pl.coalesce(_fmt_number(pl.col("near_miss_gap")), pl.lit("")), literal=True)
        .str.replace(
            "{THRESHOLD}", pl.coalesce(_fmt_number(pl.col("near_miss_threshold")), pl.lit("")), literal=True
        )
        .alias("explanation"),
        pl.col("failed").alias("failed_conditions"),
    )
    return df.select([pl.col(c).cast(t) for c, t in RESULT_SCHEMA.items()])


def _template(plan: RulePlan, status: str, codes: str, missing: str | None, nm_cond: int | None) -> str:
    spec = plan.spec
    labels = [c.label for c in spec.conditions]
    if status == "eligible":
        text = f"符合全部条件：{'；'.join(labels)}。"
        kind = spec.benefit.kind
        if plan.formula is not None:
            verb = {"cash": "可获", "fee_reduction": "可减免", "deferral": "可缓缴", "service": "价值"}[kind]
            text += f"{verb}{{AMOUNT}}元"
            if spec.benefit.description:
                text += f"（{spec.benefit.description}）"
            text += "。"
        elif spec.benefit.description:
            text += f"可享受：{spec.benefit.description}。"
        else:
            text += f"可享受{BENEFIT_KINDS[kind]}。"
        text += (
            "免申即享，无需申请。"
            if spec.delivery == "automatic"
            else f"需申请，材料：{'、'.join(spec.materials)}。"
        )
        return text
    if status == "unknown":
        names = list(dict.fromkeys((missing or "").split(","))) if missing else []
        text = f"需补充：{'、'.join(schema.label(n) for n in names if n)}" if names else "需补充相关数据"
        ok = [labels[j] for j, ch in enumerate(codes or "") if ch == "1"]
        if ok:
            text += f"（已符合：{'；'.join(ok)}）"
        return text + "。"
    failed = [labels[j] for j, ch in enumerate(codes or "") if ch == "0"]
    text = f"不符合：{'；'.join(failed)}。"
    if nm_cond is not None:
        cmp = plan.comparisons[nm_cond] if 0 <= nm_cond < len(plan.comparisons) else None
        if cmp is not None:
            text += (
                f"差一点：{schema.label(cmp.fact)}为{{VALUE}}，{_NEGATE[cmp.op]} {{THRESHOLD}}，差{{GAP}}。"
            )
        else:
            text += "差一点：仅此一项条件不符合。"
    return text
