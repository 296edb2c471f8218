"""Vectorised evaluation: a whole rule pack over a whole population in ONE SQL query.

The query (:func:`build_query`, the same text shape for DuckDB and PostgreSQL) makes one
pass over the facts snapshot and returns one wide row per enterprise:

* ``base``: the snapshot's columns the pack reads (absent columns become typed NULLs; facts
  whose registry declaration is an expression derivation — ``layoff_rate`` — computed where
  absent, see derive.py);
* every condition of every rule as a boolean column ``r<i>_c<j>`` (SQL three-valued logic:
  NULL = unknown), every benefit formula ``r<i>_amt`` (floored at 0, capped), the
  right-hand side of non-constant comparisons ``r<i>_t<j>`` (for near-miss distances),
  one region-scope flag per distinct scope, and bitmasks of which facts are missing.

The wide result is turned into one row per (enterprise in the rule's region, rule) by
polars (:func:`to_long`): status, conditions as base-3 codes, near-miss values. Words —
condition values, missing facts, explanations — are computed once per distinct
(rule, status, codes, missing-mask) and attached with one join (:func:`finish`). The same
polars code serves both engines, so their results are identical.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, cast

import polars as pl

from tongchou.facts.frames import derive_frame
from tongchou.facts.registry import KEY, FactRegistry, FactType, current, registry_argument, using

from .compiler import Comparison, Compiled, simple_comparison
from .derive import derived_sql, is_expression_derived
from .spec import BENEFIT_KINDS, RuleSpec, rules_in_force

KEEP = ("all", "matched", "relevant")
RESULT_SCHEMA: dict[str, Any] = {
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
COMPACT_SCHEMA = {
    "row": pl.UInt32,
    "st": pl.Int8,
    "value": pl.Float64,
    "key": pl.Int64,
    "nm_value": pl.Float64,
    "nm_threshold": pl.Float64,
}
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
    def null_bits(self) -> list[str]:
        """Bit order of the missing-facts mask: region, the amount, then every fact read (a
        derived fact followed by the facts it is computed from)."""
        out = ["region_code", "__amount__"]
        registry = current()
        for f in self.facts:
            for name in [f, *registry.expression_inputs(f)]:
                if name not in out:
                    out.append(name)
        return out

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


@dataclass(frozen=True)
class Layout:
    """Names of the wide query's columns."""

    plans: tuple[RulePlan, ...]
    scopes: tuple[str, ...]  # distinct region prefixes, column s<k>
    null_facts: tuple[str, ...]  # bit b of nb<b // 62> = fact missing
    value_facts: tuple[str, ...]  # numeric facts compared in conditions, column v_<fact>

    def scope_col(self, plan: RulePlan) -> str:
        return f"s{self.scopes.index(plan.spec.region)}"

    def bit(self, fact: str) -> tuple[int, int]:
        b = self.null_facts.index(fact)
        return b // 62, b % 62

    @property
    def nb_words(self) -> int:
        return (len(self.null_facts) + 61) // 62


def layout_for(plans: list[RulePlan]) -> Layout:
    scopes: list[str] = []
    null_facts: list[str] = ["region_code"]
    value_facts: list[str] = []
    registry = current()
    for p in plans:
        if p.spec.region not in scopes:
            scopes.append(p.spec.region)
        for f in p.facts:
            for name in [f, *registry.expression_inputs(f)]:
                if name not in null_facts:
                    null_facts.append(name)
        for cmp in p.comparisons:
            if cmp is not None and cmp.fact not in value_facts:
                value_facts.append(cmp.fact)
    return Layout(tuple(plans), tuple(scopes), tuple(null_facts), tuple(value_facts))


@registry_argument
def build_query(
    plans: list[RulePlan], *, source: str, available: set[str], dialect: str, row: str | None = None
) -> tuple[str, Layout]:
    """The single SQL query evaluating ``plans`` over ``source`` (a FROM item), and the
    layout of its columns. ``row`` names a column of ``source`` passed through as ``row``."""
    layout = layout_for(plans)
    types = _SQL_TYPES[dialect]
    dbl = types[FactType.NUMBER]
    registry = current()
    used: list[str] = [KEY, *layout.null_facts]
    base_cols = [_q(row)] if row else []
    derived = [f for f in used if is_expression_derived(f)]
    for f in used:
        if f in derived:
            continue
        if f in available:
            base_cols.append(_q(f))
        else:
            base_cols.append(f"CAST(NULL AS {types[registry[f].type]}) AS {_q(f)}")
    for f in derived:  # computed from the source's columns, a supplied value wins
        base_cols.append(f"{derived_sql(f, available, dialect, types)} AS {_q(f)}")
    cols = [f"{_q(row)} AS row" if row else f"{_q(KEY)} AS k", f"{_q('region_code')} IS NULL AS rnull"]
    for k, region in enumerate(layout.scopes):
        cols.append(
            f"({_q('region_code')} IS NULL OR SUBSTR({_q('region_code')}, 1, {len(region)}) = {_lit(region)}) AS s{k}"
        )
    for w in range(layout.nb_words):
        terms = [
            f"(CASE WHEN {_q(f)} IS NULL THEN {1 << (b % 62)} ELSE 0 END)"
            for b, f in enumerate(layout.null_facts)
            if b // 62 == w
        ]
        cols.append(f"CAST({' + '.join(terms)} AS BIGINT) AS nb{w}")
    for f in layout.value_facts:
        cols.append(f"CAST({_q(f)} AS {dbl}) AS {_q('v_' + f)}")
    for i, plan in enumerate(plans):
        for j, c in enumerate(plan.conditions):
            cols.append(f"({c.sql(dialect)}) AS r{i}_c{j}")
        if plan.formula is not None:
            value = f"CAST(({plan.formula.sql(dialect)}) AS {dbl})"
            value = f"CASE WHEN {value} < 0 THEN CAST(0 AS {dbl}) ELSE {value} END"
            if plan.spec.benefit.cap is not None:
                # LEAST skips NULLs: without the guard a missing input would pay the full cap
                cap = f"CAST({_num(plan.spec.benefit.cap)} AS {dbl})"
                value = f"CASE WHEN {value} IS NULL THEN NULL ELSE LEAST({value}, {cap}) END"
            cols.append(f"{value} AS r{i}_amt")
        for j, cmp in enumerate(plan.comparisons):
            if cmp is not None and cmp.threshold is None:
                cols.append(f"CAST(({_rhs_sql(cmp, dialect)}) AS {dbl}) AS r{i}_t{j}")
    sql = f"WITH base AS (SELECT {', '.join(base_cols)} FROM {source})\nSELECT {', '.join(cols)} FROM base"
    return sql, layout


def _rhs_sql(cmp: Comparison, dialect: str) -> str:
    from .compiler import generate, normalise

    return generate(normalise(cmp.rhs, dialect=dialect), dialect=dialect)


def wide_schema(layout: Layout, *, row: bool = False) -> dict:
    schema_: dict = {"row": pl.UInt32} if row else {"k": pl.String}
    schema_["rnull"] = pl.Boolean
    for k in range(len(layout.scopes)):
        schema_[f"s{k}"] = pl.Boolean
    for w in range(layout.nb_words):
        schema_[f"nb{w}"] = pl.Int64
    for f in layout.value_facts:
        schema_[f"v_{f}"] = pl.Float64
    for i, plan in enumerate(layout.plans):
        for j in range(len(plan.conditions)):
            schema_[f"r{i}_c{j}"] = pl.Boolean
        if plan.formula is not None:
            schema_[f"r{i}_amt"] = pl.Float64
        for j, cmp in enumerate(plan.comparisons):
            if cmp is not None and cmp.threshold is None:
                schema_[f"r{i}_t{j}"] = pl.Float64
    return schema_


def to_long(wide: pl.DataFrame, layout: Layout, keep: str) -> pl.DataFrame:
    """One row per (enterprise in scope, rule): ``row`` (the enterprise's index in ``wide``),
    st (0 ineligible, 1 unknown, 2 eligible, 3 ineligible near miss), value, ``key``
    (rule, status, masked missing bits, condition codes packed in one Int64), near-miss
    numbers. No text and no per-row strings: words are attached by :func:`finish`."""
    if keep not in KEEP:
        raise ValueError(f"keep must be one of {KEEP}")
    lazy = wide.lazy()
    if "row" not in wide.columns:
        lazy = lazy.with_row_index("row")
    frames = []
    rnull = pl.col("rnull")
    for i, plan in enumerate(layout.plans):
        conds = [pl.col(f"r{i}_c{j}") for j in range(len(plan.conditions))]
        false = [c.not_().fill_null(False) for c in conds]
        nfalse = pl.sum_horizontal([f.cast(pl.Int32) for f in false])
        nnull = pl.sum_horizontal([c.is_null().cast(pl.Int32) for c in conds])
        codes = pl.sum_horizontal([c.cast(pl.Int64).fill_null(2) * (3**j) for j, c in enumerate(conds)])
        amt = pl.col(f"r{i}_amt") if plan.formula is not None else pl.lit(None, dtype=pl.Float64)
        cash = plan.spec.benefit.kind == "cash" and plan.formula is not None
        amt_missing = amt.is_null() if cash else pl.lit(False)
        st = (
            pl.when(nfalse > 0)
            .then(pl.when((nfalse == 1) & (nnull == 0) & ~rnull).then(3).otherwise(0))
            .when((nnull > 0) | rnull | amt_missing)
            .then(1)
            .otherwise(2)
        )
        nm_value = pl.lit(None, dtype=pl.Float64)
        nm_threshold = pl.lit(None, dtype=pl.Float64)
        chain_v: Any = None
        chain_t: Any = None
        for j, cmp in enumerate(plan.comparisons):
            if cmp is None:
                continue
            v = pl.col(f"v_{cmp.fact}")
            t = pl.lit(cmp.threshold, dtype=pl.Float64) if cmp.threshold is not None else pl.col(f"r{i}_t{j}")
            chain_v = (pl.when(false[j]) if chain_v is None else chain_v.when(false[j])).then(v)
            chain_t = (pl.when(false[j]) if chain_t is None else chain_t.when(false[j])).then(t)
        if chain_v is not None:
            nm_value, nm_threshold = chain_v.otherwise(None), chain_t.otherwise(None)
        # rule-local missing bits: bit k = the rule's k-th fact (null_bits order) is missing
        local_bits = []
        for k, name in enumerate(plan.null_bits):
            if name == "__amount__":
                local_bits.append(amt_missing.cast(pl.Int64) * (1 << k))
            elif name in layout.null_facts:
                w, b = layout.bit(name)
                local_bits.append(((pl.col(f"nb{w}") // (1 << b)) % 2) * (1 << k))
        if len(plan.null_bits) > 24 or len(plan.conditions) > 12:
            raise ValueError(f"rule {plan.spec.id}: at most 12 conditions and 24 facts")
        local = pl.sum_horizontal(local_bits) if local_bits else pl.lit(0)
        # status first, then the keep filter, then the rest only for the rows kept
        frame = lazy.filter(pl.col(layout.scope_col(plan))).with_columns(st.cast(pl.Int64).alias("st"))
        if keep == "matched":
            frame = frame.filter(pl.col("st").is_in([1, 2]))
        elif keep == "relevant":
            frame = frame.filter(pl.col("st") > 0)
        frame = frame.select(
            pl.col("row"),
            pl.col("st").cast(pl.Int8),
            pl.when(pl.col("st") == 2).then(amt).alias("value"),
            (
                pl.lit(i << 48, dtype=pl.Int64)
                + pl.col("st") * (1 << 45)
                + pl.when(pl.col("st") == 1).then(local).otherwise(0).cast(pl.Int64) * (1 << 20)
                + codes.cast(pl.Int64)
            ).alias("key"),
            pl.when(pl.col("st") == 3).then(nm_value).cast(pl.Float64).alias("nm_value"),
            pl.when(pl.col("st") == 3).then(nm_threshold).cast(pl.Float64).alias("nm_threshold"),
        )
        frames.append(frame)
    return pl.concat(frames).collect()


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


def _derive_for(plans: list[RulePlan], facts: pl.DataFrame) -> pl.DataFrame:
    """Fill the function-derived facts the plans read (size_class), on the frame."""
    layout = layout_for(plans)
    names = [f for f in layout.null_facts if (fact := current().get(f)) is not None and fact.derived]
    return derive_frame(facts, names) if names else facts


@registry_argument
def evaluate(
    rules: list[RuleSpec],
    facts: pl.DataFrame | None,
    as_of: dt.date,
    *,
    engine: str = "duckdb",
    connection=None,
    source: str | None = None,
    keep: str = "all",
    explanations: str = "full",
) -> pl.DataFrame:
    """Evaluate the rules in force on ``as_of`` over every enterprise.

    * ``engine="duckdb"``: ``facts`` is a snapshot frame (see snapshot.prepare_facts); it is
      scanned zero-copy through Arrow by an in-memory DuckDB (or by ``connection`` if given;
      with ``source`` and no frame, the named table/view of that DuckDB connection is used).
    * ``engine="postgres"``: ``connection`` is a DB-API connection (psycopg) and ``source``
      a table/view name or a SELECT shaped like the snapshot (one row per enterprise, one
      column per fact; function-derived facts (``size_class``) must be present; expression-derived
      ones (``layoff_rate``) are computed in the query).
      With a frame and no source, the frame is copied into a temporary table first.
    * ``keep``: ``all`` rows; ``matched`` = eligible + unknown; ``relevant`` = matched +
      near misses.
    * ``explanations``: ``full`` (amounts and near-miss numbers written into the text) or
      ``short`` (shared templates only, the numbers stay in their columns: much less memory
      for millions of rows).

    Returns one row per (enterprise in the rule's region, rule) with RESULT_SCHEMA columns.
    """
    if keep not in KEEP:
        raise ValueError(f"keep must be one of {KEEP}")
    plans = plan_rules(rules, as_of)
    if not plans:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    return evaluate_compact(
        rules, facts, as_of, engine=engine, connection=connection, source=source, keep=keep
    ).to_frame(explanations=explanations)


@dataclass
class CompactResult:
    """The match with no words: one row per (enterprise, rule) kept, all numbers.

    ``rows`` columns: ``row`` (UInt32, index into ``uscc``), ``st`` (Int8: 0 ineligible,
    1 unknown, 2 eligible, 3 ineligible near miss), ``value`` (the benefit value where
    eligible), ``key`` (Int64 packing rule index, status, rule-local missing-fact bits and
    the conditions' base-3 codes — everything the words depend on), ``nm_value`` and
    ``nm_threshold`` (near misses). ``uscc`` holds each enterprise's key once.

    Words (status names, rule ids, condition values, missing facts, Chinese explanations)
    are rendered only where they are written out — :meth:`to_frame` for everything, or
    :meth:`frame_slice` batch by batch — from templates computed once per distinct ``key``.
    ``to_frame()`` is exactly what :func:`evaluate` returns.
    """

    rows: pl.DataFrame
    uscc: pl.Series
    layout: Layout | None
    _words: pl.DataFrame | None = None
    registry: FactRegistry | None = None  # the registry the rules were evaluated with (labels)

    @property
    def height(self) -> int:
        return self.rows.height

    def words(self) -> pl.DataFrame:
        if self._words is None:
            assert self.layout is not None, "a result without a layout has no rows"
            with using(self.registry):
                self._words = _words_table(self.rows.get_column("key").unique(), self.layout)
        return self._words

    def status_counts(self) -> dict[str, int]:
        counts = self.rows.group_by("st").len()
        out: dict[str, int] = {}
        for st, n in counts.iter_rows():
            out[STATUS_NAMES[st]] = out.get(STATUS_NAMES[st], 0) + n
        return out

    def sorted_for_output(self, rule_order: dict[str, int]) -> CompactResult:
        """Rows ordered by (uscc, rule_order[rule_id]) — integer sort keys only."""
        if self.layout is None or self.rows.height == 0:
            return self
        rank = self.uscc.rank("dense").cast(pl.UInt64)
        order = pl.Series(
            [rule_order.get(p.spec.id, len(rule_order)) for p in self.layout.plans], dtype=pl.UInt64
        )
        sort_key = rank.gather(self.rows.get_column("row")) * 4096 + order.gather(
            (self.rows.get_column("key") // (1 << 48)).cast(pl.UInt32)
        )
        rows = self.rows.with_columns(sort_key.alias("_o")).sort("_o").drop("_o")
        return CompactResult(rows, self.uscc, self.layout, self._words, self.registry)

    @staticmethod
    def concat(parts: list[CompactResult]) -> CompactResult:
        """One result from results over consecutive slices of the same population (same
        rules, same date: the packed keys agree)."""
        parts = [p for p in parts if p.layout is not None]
        if not parts:
            return CompactResult(
                pl.DataFrame(schema=COMPACT_SCHEMA), pl.Series("uscc", [], dtype=pl.String), None
            )
        rows, offset = [], 0
        for p in parts:
            rows.append(p.rows.with_columns((pl.col("row") + offset).cast(pl.UInt32)))
            offset += p.uscc.len()
        return CompactResult(
            pl.concat(rows), pl.concat([p.uscc for p in parts]), parts[0].layout, registry=parts[0].registry
        )

    def to_frame(self, *, explanations: str = "full") -> pl.DataFrame:
        return self.frame_slice(0, self.rows.height, explanations=explanations)

    def frame_slice(
        self, offset: int, length: int, *, explanations: str = "full", columns: list[str] | None = None
    ) -> pl.DataFrame:
        """RESULT_SCHEMA rows ``offset`` .. ``offset + length`` (rendered words); only
        ``columns`` (a subset of RESULT_SCHEMA, in that order) if given."""
        if self.layout is None or self.rows.height == 0:
            return pl.DataFrame(schema=_schema(columns))
        part = self.rows.slice(offset, length)
        part = part.with_columns(self.uscc.gather(part.get_column("row")).alias("uscc"))
        return _render(part, self.words(), explanations=explanations, columns=columns)

    def iter_frames(
        self, batch: int = 500_000, *, explanations: str = "full", columns: list[str] | None = None
    ):
        for start in range(0, self.rows.height, batch):
            yield self.frame_slice(start, batch, explanations=explanations, columns=columns)


@registry_argument
def evaluate_compact(
    rules: list[RuleSpec],
    facts: pl.DataFrame | None,
    as_of: dt.date,
    *,
    engine: str = "duckdb",
    connection=None,
    source: str | None = None,
    keep: str = "all",
) -> CompactResult:
    """Same arguments and the same results as :func:`evaluate`, without words: see
    :class:`CompactResult`. This is the fast path for large populations."""
    if keep not in KEEP:
        raise ValueError(f"keep must be one of {KEEP}")
    plans = plan_rules(rules, as_of)
    if not plans:
        return CompactResult(
            pl.DataFrame(schema=COMPACT_SCHEMA), pl.Series("uscc", [], dtype=pl.String), None
        )
    if facts is not None:
        facts = _derive_for(plans, facts)
    if engine == "duckdb":
        wide, layout, uscc = _run_duckdb(plans, facts, connection, source)
    elif engine == "postgres":
        if connection is None:
            raise ValueError("engine='postgres' needs a DB-API connection")
        wide, layout = _run_postgres(plans, facts, connection, source)
        uscc = wide.get_column("k")
    else:
        raise ValueError(f"unknown engine {engine!r}")
    long = to_long(wide, layout, keep)
    del wide
    return CompactResult(long, uscc.alias("uscc"), layout, registry=current())


def _run_duckdb(plans, facts, connection, source):
    import duckdb

    con = connection or duckdb.connect()
    name = "tongchou_facts_snapshot"
    try:
        row = None
        if facts is not None:
            # the enterprise's position travels through the query instead of its uscc text
            row = "__tongchou_row"
            con.register(name, facts.with_row_index(row))
            available = set(facts.columns)
            from_item = _q(name)
        else:
            if not source:
                raise ValueError("give a facts frame or a source table")
            from_item = _from_item(source)
            available = {d[0] for d in con.execute(f"SELECT * FROM {from_item} LIMIT 0").description}
        _require_key(available)
        sql, layout = build_query(plans, source=from_item, available=available, dialect="duckdb", row=row)
        wide = cast(pl.DataFrame, pl.from_arrow(con.sql(sql).to_arrow_table()))
        if facts is not None:
            con.unregister(name)
        wide = wide.cast(wide_schema(layout, row=row is not None))
        uscc = facts.get_column(KEY) if facts is not None else wide.get_column("k")
        return wide, layout, uscc
    finally:
        if connection is None:
            con.close()


def _run_postgres(plans, facts, connection, source):
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
        sql, layout = build_query(plans, source=from_item, available=available, dialect="postgres")
        cur.execute(sql)
        rows = cur.fetchall()
    return pl.DataFrame(rows, schema=wide_schema(layout), orient="row"), layout


def _require_key(available: set[str]) -> None:
    from .errors import FactsError

    if KEY not in available:
        raise FactsError("企业数据缺少“uscc”（统一社会信用代码）列")


def _fmt_number(expr: pl.Expr) -> pl.Expr:
    """Shortest readable decimal text for a float (6 decimals at most, no trailing .0)."""
    return expr.round(6).cast(pl.String).str.strip_suffix(".0")


def _fmt_money(expr: pl.Expr) -> pl.Expr:
    """Yuan with two decimals (12000 → "12000.00"), from whole cents."""
    cents = (expr * 100).round(0).cast(pl.Int64).cast(pl.String).str.zfill(3)
    return pl.concat_str([cents.str.head(-2), pl.lit("."), cents.str.tail(2)])


STATUS_NAMES = {0: "ineligible", 1: "unknown", 2: "eligible", 3: "ineligible"}


def decode_codes(codes: int, n: int) -> list[bool | None]:
    out: list[bool | None] = []
    for _ in range(n):
        digit = codes % 3
        codes //= 3
        out.append(True if digit == 1 else False if digit == 0 else None)
    return out


def missing_facts(plan: RulePlan, values: list[bool | None], is_null, amount_missing: bool) -> list[str]:
    """Facts whose absence blocks the decision: facts read by an unknown condition (for a
    derived fact that could not be computed, its missing inputs instead — the registry decides),
    a missing region, the inputs of a cash amount that could not be computed.
    ``is_null(name) -> bool``."""
    out: list[str] = []
    registry = current()

    def add(name: str) -> None:
        for x in registry.missing_names(name, is_null):
            if x not in out:
                out.append(x)

    for value, cond in zip(values, plan.conditions, strict=True):
        if value is None:
            for f in cond.facts:
                add(f)
    add("region_code")
    if plan.spec.benefit.kind == "cash" and plan.formula is not None and amount_missing:
        for f in plan.formula.facts:
            add(f)
    return out


def finish(
    long: pl.DataFrame, layout: Layout, uscc: pl.Series, *, explanations: str = "full"
) -> pl.DataFrame:
    """Attach words to the numeric rows of :func:`to_long` (``uscc`` indexed by ``row``)."""
    return CompactResult(long, uscc, layout).to_frame(explanations=explanations)


def _words_table(keys: pl.Series, layout: Layout) -> pl.DataFrame:
    """Condition values, missing facts and explanation templates, once per distinct key."""
    plans = layout.plans
    rows = []
    for packed in keys.to_list():
        rule_idx, st = packed >> 48, (packed >> 45) & 7
        local, codes = (packed >> 20) & ((1 << 25) - 1), packed & ((1 << 20) - 1)
        plan = plans[rule_idx]
        spec = plan.spec
        status = STATUS_NAMES[st]
        values = decode_codes(codes, len(plan.conditions))
        missing: list[str] = []
        if st == 1:
            bits = plan.null_bits

            def is_null(name: str, local=local, bits=bits) -> bool:
                return name in bits and bool(local >> bits.index(name) & 1)

            missing = missing_facts(plan, values, is_null, is_null("__amount__"))
        nm_cond = values.index(False) if st == 3 else None
        cmp = plan.comparisons[nm_cond] if nm_cond is not None else None
        shape, parts, short = _template(plan, status, values, missing, nm_cond)
        rows.append(
            (packed, short, spec.id, spec.version, spec.measure_id, status, spec.benefit.kind, values,
             sum(1 for v in values if v is False), missing, st == 3,
             cmp.fact if cmp is not None else None, shape, *parts)
        )  # fmt: skip
    return pl.DataFrame(
        rows,
        schema={
            "key": pl.Int64,
            "short": pl.String,
            "rule_id": pl.String,
            "rule_version": pl.Int64,
            "measure_id": pl.String,
            "status": pl.String,
            "benefit_kind": pl.String,
            "condition_values": pl.List(pl.Boolean),
            "failed_conditions": pl.Int64,
            "missing_facts": pl.List(pl.String),
            "near_miss": pl.Boolean,
            "near_miss_fact": pl.String,
            "shape": pl.Int64,
            "p0": pl.String,
            "p1": pl.String,
            "p2": pl.String,
            "p3": pl.String,
        },  # fmt: skip
        orient="row",
    )


def _schema(columns: list[str] | None) -> dict:
    return {c: RESULT_SCHEMA[c] for c in columns} if columns else RESULT_SCHEMA


def _render(
    long: pl.DataFrame, words: pl.DataFrame, *, explanations: str = "full", columns: list[str] | None = None
) -> pl.DataFrame:
    """RESULT_SCHEMA rows (or only ``columns``): the words joined by key; only amounts and
    near-miss numbers are formatted per row."""
    if explanations not in ("full", "short"):
        raise ValueError("explanations must be 'full' or 'short'")
    if long.height == 0:
        return pl.DataFrame(schema=_schema(columns))
    if columns is not None:
        wanted = {"key", "short", "shape", "benefit_kind", "near_miss_fact", *columns}
        if explanations == "full":
            wanted |= {"p0", "p1", "p2", "p3"}
        words = words.select([c for c in words.columns if c in wanted])
    # ``key`` packs (rule, status, rule-local missing bits, codes) into one Int64 (see
    # to_long): everything the words depend on.
    has_nm = pl.col("near_miss_fact").is_not_null()
    # each row's words by position: key -> index into ``words`` (a hash lookup in a few
    # hundred keys), then a gather per words column — no join, the row order is kept
    words = words.drop([] if explanations == "full" else ["p0", "p1", "p2", "p3"], strict=False)
    position = long.get_column("key").replace_strict(
        words.get_column("key"),
        pl.int_range(words.height, eager=True, dtype=pl.UInt32),
        return_dtype=pl.UInt32,
    )
    attached = words.drop("key").select(pl.all().gather(position))
    df = (
        pl.concat([long, attached], how="horizontal")
        .lazy()
        .with_columns(
            pl.when(pl.col("st") == 2).then(pl.col("value").round(2)).alias("benefit_value"),
            pl.when((pl.col("st") == 2) & (pl.col("benefit_kind") == "cash"))
            .then(pl.col("value").round(2))
            .alias("amount_yuan"),
            pl.when(has_nm).then(pl.col("nm_value")).alias("near_miss_value"),
            pl.when(has_nm).then(pl.col("nm_threshold")).alias("near_miss_threshold"),
            pl.when(has_nm)
            .then((pl.col("nm_value") - pl.col("nm_threshold")).abs().round(6))
            .alias("near_miss_gap"),
        )
        .collect()
    )
    # Text with numbers only for the rows that show them: every row starts from its shared
    # template (string views into the few hundred templates, no copies); the rows with an
    # amount or a near-miss distance get their own text scattered in.
    text = df.get_column("short")
    if explanations == "full":
        text = text.clone()
        shapes = df.get_column("shape")
        for k, text_expr in (
            (1, pl.concat_str([pl.col("p0"), _fmt_money(pl.col("value")), pl.col("p1")])),
            (
                2,
                pl.concat_str(
                    [
                        pl.col("p0"),
                        _fmt_number(pl.col("near_miss_value")),
                        pl.col("p1"),
                        _fmt_number(pl.col("near_miss_threshold")),
                        pl.col("p2"),
                        _fmt_number(pl.col("near_miss_gap")),
                        pl.col("p3"),
                    ]  # fmt: skip
                ),
            ),
        ):
            rows_idx = (shapes == k).arg_true()
            if len(rows_idx):
                needed = [
                    "p0",
                    "p1",
                    "p2",
                    "p3",
                    "value",
                    "near_miss_value",
                    "near_miss_threshold",
                    "near_miss_gap",
                ]
                text = text.scatter(rows_idx, df.select(needed)[rows_idx].select(text_expr).to_series())
    df = df.drop(["p0", "p1", "p2", "p3", "short"], strict=False).with_columns(text.alias("explanation"))
    df = df.select([pl.col(c).cast(t) for c, t in _schema(columns).items()])
    return df


def template_parts(
    plan: RulePlan, status: str, values: list[bool | None], missing: list[str], nm_cond: int | None
) -> tuple[int, tuple[str, str, str, str]]:
    """The explanation as fixed text around placeholders. Shape 0: text only; shape 1:
    p0 + amount + p1; shape 2: p0 + value + p1 + threshold + p2 + gap + p3."""
    shape, parts, _ = _template(plan, status, values, missing, nm_cond)
    return shape, parts


def _template(
    plan: RulePlan, status: str, values: list[bool | None], missing: list[str], nm_cond: int | None
) -> tuple[int, tuple[str, str, str, str], str]:
    """(shape, parts, short): ``short`` is the same explanation without per-enterprise
    numbers (used with ``explanations="short"``; the numbers are in their own columns)."""
    spec = plan.spec
    labels = [c.label for c in spec.conditions]
    tail = (
        "免申即享，无需申请。"
        if spec.delivery == "automatic"
        else f"需申请，材料：{'、'.join(spec.materials)}。"
    )
    if status == "eligible":
        text = f"符合全部条件：{'；'.join(labels)}。"
        kind = spec.benefit.kind
        if plan.formula is not None:
            verb = {"cash": "可获", "fee_reduction": "可减免", "deferral": "可缓缴", "service": "价值"}[kind]
            desc = f"（{spec.benefit.description}）" if spec.benefit.description else ""
            short = (
                f"{text}{verb}{'补贴' if kind == 'cash' else '相应金额'}{desc}，金额见 benefit_value。{tail}"
            )
            return 1, (text + verb, f"元{desc}。{tail}", "", ""), short
        if spec.benefit.description:
            text += f"可享受：{spec.benefit.description}。"
        else:
            text += f"可享受{BENEFIT_KINDS[kind]}。"
        return 0, (text + tail, "", "", ""), text + tail
    if status == "unknown":
        text = f"需补充：{'、'.join(current().label(n) for n in missing)}" if missing else "需补充相关数据"
        ok = [labels[j] for j, v in enumerate(values) if v is True]
        if ok:
            text += f"（已符合：{'；'.join(ok)}）"
        return 0, (text + "。", "", "", ""), text + "。"
    failed = [labels[j] for j, v in enumerate(values) if v is False]
    text = f"不符合：{'；'.join(failed)}。"
    if nm_cond is not None:
        cmp = plan.comparisons[nm_cond]
        if cmp is not None:
            return (
                2,
                (f"{text}差一点：{current().label(cmp.fact)}为", f"，{_NEGATE[cmp.op]} ", "，差", "。"),
                f"{text}差一点：仅此一项条件不符合（{current().label(cmp.fact)}，差距见 near_miss_gap）。",
            )
        text += "差一点：仅此一项条件不符合。"
    return 0, (text, "", "", ""), text
