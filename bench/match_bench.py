"""Bench: the whole rule pack over 1,000,000 synthetic enterprises.

    .venv/bin/python bench/match_bench.py [--n 1000000] [--sample 2000] [--keep relevant]

Measured, each in its own subprocess so that peak memory (ru_maxrss) is per contender:

* engine      — tongchou.rules.engine.evaluate (one DuckDB query + polars), keep=relevant
                (eligible + unknown + near misses, what the platform stores) and keep=all;
* handwritten — one DuckDB query written straight from the rules' SQL text: statuses and
                amounts only (no validation/normalisation, no condition values, missing
                facts, near-miss data or explanations) — the floor for the work itself;
* naive       — plain Python, one enterprise and one rule at a time (the tracer's
                interpreter); a sample is timed and extrapolated to --n;
* openfisca   — OpenFisca-Core (if /tmp/ofvenv has it: python -m venv /tmp/ofvenv &&
                /tmp/ofvenv/bin/pip install openfisca-core) with three rules modelled.

Facts are generated with numpy from a fixed seed (tongchou.rules.engine.synthetic).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
AS_OF = dt.date(2020, 4, 1)
OFVENV = Path(os.environ.get("OFVENV", "/tmp/ofvenv")) / "bin" / "python"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_engine(parquet: str, keep: str, explanations: str = "full") -> dict:
    import polars as pl

    from tongchou.rules.engine import evaluate, load_rules

    facts = pl.read_parquet(parquet)
    rules = load_rules(ROOT / "tongchou/rules/pack")
    base = peak_mb()
    t = time.perf_counter()
    out = evaluate(rules, facts, AS_OF, keep=keep, explanations=explanations)
    seconds = time.perf_counter() - t
    counts = dict(out.group_by("status").len().iter_rows())
    return {
        "seconds": seconds,
        "rows": out.height,
        "statuses": counts,
        "near_misses": int(out.get_column("near_miss").sum()),
        "amount_sum": float(out.get_column("benefit_value").sum() or 0),
        "peak_mb": peak_mb(),
        "peak_mb_before": base,
    }


def handwritten_sql(rules, keep: str) -> str:
    """One query, written from the rules' own SQL text: a SELECT per rule, UNION ALL."""
    parts = []
    for r in rules:
        conds = [f"({c.expression})" for c in r.conditions]
        anyfalse = " OR ".join(f"{c} IS FALSE" for c in conds)
        alltrue = " AND ".join(f"{c} IS TRUE" for c in conds)
        nfalse = " + ".join(f"CAST({c} IS FALSE AS INT)" for c in conds)
        nnull = " + ".join(f"CAST({c} IS NULL AS INT)" for c in conds)
        amount = "NULL"
        if r.benefit.formula:
            raw = f"CAST(({r.benefit.formula}) AS DOUBLE)"
            amount = f"(CASE WHEN {raw} < 0 THEN 0 ELSE {raw} END)"
            if r.benefit.cap is not None:
                amount = f"LEAST({amount}, {r.benefit.cap})"
        cash = r.benefit.kind == "cash" and r.benefit.formula
        need_amount = f" AND {amount} IS NOT NULL" if cash else ""
        status = (
            f"CASE WHEN {anyfalse} THEN 'ineligible' WHEN {alltrue} AND region_code IS NOT NULL{need_amount} "
            f"THEN 'eligible' ELSE 'unknown' END"
        )
        where = f"(region_code IS NULL OR starts_with(region_code, '{r.region}'))"
        if keep == "matched":
            where += f" AND NOT ({anyfalse})"
        elif keep == "relevant":
            where += (
                f" AND (NOT ({anyfalse}) OR (({nfalse}) = 1 AND ({nnull}) = 0 AND region_code IS NOT NULL))"
            )
        parts.append(
            f"SELECT uscc, '{r.id}' AS rule_id, {status} AS status, "
            f"CASE WHEN {alltrue} THEN {amount} END AS amount FROM facts WHERE {where}"
        )
    layoff = (
        "COALESCE(layoff_rate, CASE WHEN insured_employees_prev_year_end > 0 AND insured_employees IS NOT NULL "
        "THEN (CASE WHEN insured_employees_prev_year_end > insured_employees "
        "THEN insured_employees_prev_year_end - insured_employees ELSE 0 END) / insured_employees_prev_year_end END)"
    )
    return (
        f"WITH facts AS (SELECT * REPLACE ({layoff} AS layoff_rate) FROM snapshot)\n"
        + "\nUNION ALL\n".join(parts)
    )


def phase_handwritten(parquet: str, keep: str) -> dict:
    import duckdb
    import polars as pl

    from tongchou.rules.engine import load_rules, rules_in_force
    from tongchou.rules.engine.snapshot import derive_size_class

    facts = derive_size_class(pl.read_parquet(parquet))
    if "layoff_rate" not in facts.columns:
        facts = facts.with_columns(pl.lit(None, dtype=pl.Float64).alias("layoff_rate"))
    rules = rules_in_force(load_rules(ROOT / "tongchou/rules/pack"), AS_OF)
    con = duckdb.connect()
    con.register("snapshot", facts)
    t = time.perf_counter()
    out = pl.from_arrow(con.sql(handwritten_sql(rules, keep)).to_arrow_table())
    seconds = time.perf_counter() - t
    return {
        "seconds": seconds,
        "rows": out.height,
        "statuses": dict(out.group_by("status").len().iter_rows()),
        "amount_sum": float(out.filter(pl.col("status") == "eligible").get_column("amount").sum() or 0),
        "peak_mb": peak_mb(),
    }


def phase_naive(parquet: str, sample: int, n: int) -> dict:
    import polars as pl

    from tongchou.rules.engine import load_rules, rules_in_force
    from tongchou.rules.engine.reference import derive, evaluate_rule

    facts = pl.read_parquet(parquet).head(sample).to_dicts()
    rules = rules_in_force(load_rules(ROOT / "tongchou/rules/pack"), AS_OF)
    for r in rules:  # compile once, as a fair naive implementation would
        r.compiled_conditions()
        r.compiled_formula()
    t = time.perf_counter()
    results = 0
    for f in facts:
        d = derive(f)
        region = d.get("region_code")
        for r in rules:
            if region is not None and not region.startswith(r.region):
                continue
            evaluate_rule(r, d, derived=True)
            results += 1
    seconds = time.perf_counter() - t
    return {"sample": sample, "sample_seconds": seconds, "seconds": seconds * n / sample, "results": results}


def phase_openfisca(parquet: str) -> dict:
    import numpy as np
    import polars as pl

    facts = pl.read_parquet(parquet)
    size_code = {"large": 3, "medium": 2, "small": 1, "micro": 0}
    arrays = {
        "size": facts.get_column("size_class")
        .replace_strict(size_code, default=-1, return_dtype=pl.Int64)
        .to_numpy(),
        "rent": facts.get_column("state_owned_rent_monthly").fill_null(float("nan")).to_numpy(),
        "prev": facts.get_column("insured_employees_prev_year_end").fill_null(float("nan")).to_numpy(),
        "now": facts.get_column("insured_employees").fill_null(float("nan")).to_numpy(),
        "paid": facts.get_column("unemployment_insurance_paid_prev_year").fill_null(float("nan")).to_numpy(),
        "invest": facts.get_column("epidemic_equipment_investment").fill_null(float("nan")).to_numpy(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.npz"
        np.savez(path, **arrays)
        proc = subprocess.run(
            [str(OFVENV), str(ROOT / "bench" / "openfisca_rules.py"), str(path)],
            capture_output=True,
            text=True,
            timeout=900,
        )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_phase(name: str, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", name, *args], capture_output=True, text=True, timeout=3600
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-3000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--keep", default="relevant")
    ap.add_argument("--seed", type=int, default=20200306)
    ap.add_argument("--skip", default="", help="comma-separated phases to skip")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("phase_args", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        a = args.phase_args
        result = {
            "engine": lambda: phase_engine(*a),
            "handwritten": lambda: phase_handwritten(a[0], a[1]),
            "naive": lambda: phase_naive(a[0], int(a[1]), int(a[2])),
            "openfisca": lambda: phase_openfisca(a[0]),
        }[args.phase]()
        print(json.dumps(result, ensure_ascii=False))
        return

    from tongchou.rules.engine.synthetic import population

    skip = set(filter(None, args.skip.split(",")))
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    t = time.perf_counter()
    facts = population(args.n, seed=args.seed)
    print(f"generated {args.n:,} enterprises × {facts.width} facts in {time.perf_counter() - t:.1f}s")
    with tempfile.TemporaryDirectory() as tmp:
        parquet = str(Path(tmp) / "facts.parquet")
        facts.write_parquet(parquet)
        del facts
        results = {}
        phases = [
            ("engine", [parquet, args.keep]),
            ("engine_short", [parquet, args.keep, "short"]),
            ("engine_all", [parquet, "all"]),
            ("handwritten", [parquet, args.keep]),
            ("naive", [parquet, str(args.sample), str(args.n)]),
            ("openfisca", [parquet]),
        ]
        for name, pargs in phases:
            if name in skip or (name == "openfisca" and not OFVENV.exists()):
                continue
            phase = "engine" if name.startswith("engine") else name
            results[name] = run_phase(phase, *pargs)
            print(name, json.dumps(results[name], ensure_ascii=False), flush=True)
    eng, hand, naive = results.get("engine", {}), results.get("handwritten", {}), results.get("naive", {})
    print("\nsummary")
    if "seconds" in eng:
        print(
            f"  engine ({args.keep}): {eng['seconds']:.2f}s, peak {eng['peak_mb']:.0f} MB, {eng['rows']:,} rows"
        )
    if "seconds" in results.get("engine_short", {}):
        e = results["engine_short"]
        print(f"  engine ({args.keep}, short explanations): {e['seconds']:.2f}s, peak {e['peak_mb']:.0f} MB")
    if "seconds" in results.get("engine_all", {}):
        e = results["engine_all"]
        print(f"  engine (all):     {e['seconds']:.2f}s, peak {e['peak_mb']:.0f} MB, {e['rows']:,} rows")
    if "seconds" in hand:
        print(
            f"  hand-written DuckDB: {hand['seconds']:.2f}s, peak {hand['peak_mb']:.0f} MB, {hand['rows']:,} rows"
        )
        if "seconds" in eng:
            print(f"  engine / hand-written = {eng['seconds'] / hand['seconds']:.2f}×")
            same = eng.get("statuses") == hand.get("statuses")
            print(
                f"  same statuses as hand-written: {same}; amounts {eng['amount_sum']:.2f} vs {hand['amount_sum']:.2f}"
            )
    if "seconds" in naive:
        print(
            f"  naive Python: {naive['sample_seconds']:.2f}s for {naive['sample']:,} enterprises → "
            f"{naive['seconds']:.0f}s extrapolated to {args.n:,}"
        )
        if "seconds" in eng:
            print(f"  naive / engine = {naive['seconds'] / eng['seconds']:.0f}×")
    if "openfisca" in results:
        print(f"  openfisca: {json.dumps(results['openfisca'], ensure_ascii=False)[:300]}")


if __name__ == "__main__":
    main()
