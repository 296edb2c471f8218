"""Bench: the whole rule pack over 1,000,000 synthetic enterprises.

    .venv/bin/python bench/match_bench.py [--n 1000000] [--sample 2000] [--keep relevant]

Measured, each in its own subprocess so that peak memory (ru_maxrss) is per contender:

* engine      — tongchou.rules.engine.evaluate_compact, keep=relevant (eligible + unknown +
                near misses, what the platform stores): statuses, amounts, condition values,
                missing facts and near-miss numbers as compact columns (row index, packed key),
                words rendered later only where written out. This is "the whole match";
* engine_cli   — what `tongchou match` does after reading the file: evaluate_compact
                (keep=matched) + sort + render the words + stream the CSV to disk;
* engine_frame — the compatible API evaluate(): every row rendered into one polars frame with
                Chinese explanations (keep=relevant), i.e. what the match cost before;
* handwritten — one DuckDB query written straight from the rules' SQL text (UNION ALL of one
                SELECT per rule) computing the same information as `engine`: status, amount,
                condition values (base-3 codes), missing-fact bits and near-miss value and
                threshold, packed the same way; the bench checks both give identical rows;
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


def phase_engine(parquet: str, keep: str, dump: str = "") -> dict:
    import polars as pl

    from tongchou.rules.engine import evaluate_compact, load_rules

    facts = pl.read_parquet(parquet)
    rules = load_rules(ROOT / "tongchou/rules/pack")
    base = peak_mb()
    t = time.perf_counter()
    out = evaluate_compact(rules, facts, AS_OF, keep=keep)
    seconds = time.perf_counter() - t
    peak = peak_mb()
    rows = out.rows
    if dump:
        rows.write_parquet(dump)
    return {
        "seconds": seconds,
        "rows": rows.height,
        "statuses": out.status_counts(),
        "near_misses": int((rows.get_column("st") == 3).sum()),
        "amount_sum": float(rows.filter(pl.col("st") == 2).get_column("value").round(2).sum() or 0),
        "peak_mb": peak,
        "peak_mb_before": base,
    }


def phase_engine_cli(parquet: str) -> dict:
    import polars as pl

    from tongchou.rules.engine import evaluate_compact, load_rules
    from tongchou.rules.engine.output import write_results

    facts = pl.read_parquet(parquet)
    rules = load_rules(ROOT / "tongchou/rules/pack")
    base = peak_mb()
    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(tmp) / "out.csv"
        t = time.perf_counter()
        out = evaluate_compact(rules, facts, AS_OF, keep="matched")
        t_match = time.perf_counter() - t
        written = write_results(out, out_path, rule_order={r.id: i for i, r in enumerate(rules)})
        seconds = time.perf_counter() - t
        size = out_path.stat().st_size
    return {
        "seconds": seconds,
        "match_seconds": t_match,
        "rows": written,
        "csv_mb": size / 1e6,
        "peak_mb": peak_mb(),
        "peak_mb_before": base,
    }


def phase_engine_frame(parquet: str, keep: str, explanations: str = "full") -> dict:
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
    """One query, written from the rules' own SQL text: a SELECT per rule, UNION ALL. Each
    computes the conditions once (inner SELECT), then the status, the condition codes
    (base 3: 0 false, 1 true, 2 unknown), which of the rule's facts are missing (bit order
    RulePlan.null_bits: region, amount, facts read) and the near-miss value/threshold, and
    packs rule, status, missing bits and codes into one key as the engine does."""
    from tongchou.rules.engine.evaluate import RulePlan

    parts = []
    for i, r in enumerate(rules):
        plan = RulePlan.of(r)
        conds = [c.expression for c in r.conditions]
        cs = [f"c{j}" for j in range(len(conds))]
        amount = "CAST(NULL AS DOUBLE)"
        if r.benefit.formula:
            raw = f"CAST(({r.benefit.formula}) AS DOUBLE)"
            amount = f"(CASE WHEN {raw} < 0 THEN 0 ELSE {raw} END)"
            if r.benefit.cap is not None:
                # LEAST skips NULLs: a missing input must stay missing, not pay the cap
                amount = f"(CASE WHEN {amount} IS NULL THEN NULL ELSE LEAST({amount}, {float(r.benefit.cap)!r}) END)"
        cash = r.benefit.kind == "cash" and bool(r.benefit.formula)
        bits = []
        for k, name in enumerate(plan.null_bits):
            if name == "__amount__":
                if cash:
                    bits.append(f"(CASE WHEN amount IS NULL THEN {1 << k} ELSE 0 END)")
            else:
                bits.append(f"(CASE WHEN {name} IS NULL THEN {1 << k} ELSE 0 END)")
        nmv, nmt = [], []
        for j, cmp in enumerate(plan.comparisons):
            if cmp is not None:
                rhs = repr(float(cmp.threshold)) if cmp.threshold is not None else cmp.rhs.sql("duckdb")
                nmv.append(f"WHEN c{j} IS FALSE THEN CAST({cmp.fact} AS DOUBLE)")
                nmt.append(f"WHEN c{j} IS FALSE THEN CAST(({rhs}) AS DOUBLE)")
        inner = (
            f"SELECT row, region_code IS NULL AS rnull, {amount} AS amount, "
            + "".join(f"({c}) AS c{j}, " for j, c in enumerate(conds))
            + f"{' + '.join(bits) or '0'} AS missing, "
            + (
                f"CASE {' '.join(nmv)} END AS nmv, CASE {' '.join(nmt)} END AS nmt "
                if nmv
                else "NULL AS nmv, NULL AS nmt "
            )
            + f"FROM facts WHERE region_code IS NULL OR starts_with(region_code, '{r.region}')"
        )
        nfalse = " + ".join(f"CAST({c} IS FALSE AS INT)" for c in cs) or "0"
        nnull = " + ".join(f"CAST({c} IS NULL AS INT)" for c in cs) or "0"
        codes = " + ".join(f"COALESCE(CAST({c} AS BIGINT), 2) * {3**j}" for j, c in enumerate(cs)) or "0"
        middle = f"SELECT *, {nfalse} AS nf, {nnull} AS nn, {codes} AS codes FROM ({inner})"
        amt_missing = "amount IS NULL" if cash else "FALSE"
        status = (
            "CASE WHEN nf > 0 THEN (CASE WHEN nf = 1 AND nn = 0 AND NOT rnull THEN 3 ELSE 0 END) "
            f"WHEN nn > 0 OR rnull OR {amt_missing} THEN 1 ELSE 2 END"
        )
        where = {"all": "", "matched": " WHERE st IN (1, 2)", "relevant": " WHERE st > 0"}[keep]
        parts.append(
            f"SELECT row, st, CASE WHEN st = 2 THEN amount END AS value, "
            f"CAST({i << 48} + st * {1 << 45} + (CASE WHEN st = 1 THEN missing ELSE 0 END) * {1 << 20} + codes AS BIGINT) AS key, "
            f"CASE WHEN st = 3 THEN nmv END AS nm_value, CASE WHEN st = 3 THEN nmt END AS nm_threshold "
            f"FROM (SELECT *, {status} AS st FROM ({middle})){where}"
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


def phase_handwritten(parquet: str, keep: str, dump: str = "") -> dict:
    import duckdb
    import polars as pl

    from tongchou.rules.engine import load_rules, rules_in_force
    from tongchou.rules.engine.snapshot import derive_size_class

    facts = pl.read_parquet(parquet)
    if "layoff_rate" not in facts.columns:
        facts = facts.with_columns(pl.lit(None, dtype=pl.Float64).alias("layoff_rate"))
    rules = rules_in_force(load_rules(ROOT / "tongchou/rules/pack"), AS_OF)
    base = peak_mb()
    t = time.perf_counter()
    facts = derive_size_class(facts).with_row_index("row")  # the same fact preparation as the engine
    con = duckdb.connect()
    con.register("snapshot", facts)
    out = pl.from_arrow(con.sql(handwritten_sql(rules, keep)).to_arrow_table())
    seconds = time.perf_counter() - t
    peak = peak_mb()
    if dump:
        out.write_parquet(dump)
    names = {0: "ineligible", 1: "unknown", 2: "eligible", 3: "ineligible"}
    statuses: dict[str, int] = {}
    for st, n in out.group_by("st").len().iter_rows():
        statuses[names[st]] = statuses.get(names[st], 0) + n
    return {
        "seconds": seconds,
        "rows": out.height,
        "statuses": statuses,
        "amount_sum": float(out.filter(pl.col("st") == 2).get_column("value").round(2).sum() or 0),
        "peak_mb": peak,
        "peak_mb_before": base,
    }


def compare(engine_dump: str, hand_dump: str) -> dict:
    """Row-by-row comparison of the engine's compact rows with the hand-written query's."""
    import polars as pl

    cols = ["row", "key", "value", "nm_value", "nm_threshold"]
    a = pl.read_parquet(engine_dump).select(cols).sort(["row", "key"])
    b = pl.read_parquet(hand_dump).select(cols).cast({"row": pl.UInt32}).sort(["row", "key"])
    if a.height != b.height:
        return {"identical": False, "rows": [a.height, b.height]}
    same_keys = a.select("row", "key").equals(b.select("row", "key"))
    diffs = {
        c: float((a.get_column(c) - b.get_column(c)).abs().max() or 0.0)
        for c in ("value", "nm_value", "nm_threshold")
    }
    nulls_agree = all(a.get_column(c).is_null().equals(b.get_column(c).is_null()) for c in diffs)
    return {"identical_keys": same_keys, "nulls_agree": nulls_agree, "max_abs_diff": diffs}


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
            "engine_cli": lambda: phase_engine_cli(a[0]),
            "engine_frame": lambda: phase_engine_frame(*a),
            "handwritten": lambda: phase_handwritten(*a),
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
        e_dump, h_dump = str(Path(tmp) / "engine.parquet"), str(Path(tmp) / "hand.parquet")
        phases = [
            ("engine", [parquet, args.keep, e_dump]),
            ("handwritten", [parquet, args.keep, h_dump]),
            ("engine_cli", [parquet]),
            ("engine_frame", [parquet, args.keep]),
            ("engine_frame_short", [parquet, args.keep, "short"]),
            ("naive", [parquet, str(args.sample), str(args.n)]),
            ("openfisca", [parquet]),
        ]
        for name, pargs in phases:
            if name in skip or (name == "openfisca" and not OFVENV.exists()):
                continue
            phase = "engine_frame" if name.startswith("engine_frame") else name
            results[name] = run_phase(phase, *pargs)
            print(
                name,
                json.dumps(results[name], ensure_ascii=False),
                f"(load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        if "seconds" in results.get("engine", {}) and "seconds" in results.get("handwritten", {}):
            results["compare"] = compare(e_dump, h_dump)
            print("engine vs hand-written rows:", json.dumps(results["compare"]), flush=True)
    eng, hand, naive = results.get("engine", {}), results.get("handwritten", {}), results.get("naive", {})
    print("\nsummary")
    if "seconds" in eng:
        print(
            f"  engine ({args.keep}): {eng['seconds']:.2f}s, peak {eng['peak_mb']:.0f} MB, {eng['rows']:,} rows"
        )
    if "seconds" in results.get("engine_cli", {}):
        e = results["engine_cli"]
        print(
            f"  engine → CSV (matched, as tongchou match): {e['seconds']:.2f}s ({e['match_seconds']:.2f}s match), "
            f"peak {e['peak_mb']:.0f} MB, {e['rows']:,} rows, {e['csv_mb']:.0f} MB"
        )
    for name, label in (("engine_frame", "full explanations"), ("engine_frame_short", "short explanations")):
        if "seconds" in results.get(name, {}):
            e = results[name]
            print(
                f"  evaluate() frame ({args.keep}, {label}): {e['seconds']:.2f}s, peak {e['peak_mb']:.0f} MB"
            )
    if "seconds" in hand:
        print(
            f"  hand-written DuckDB: {hand['seconds']:.2f}s, peak {hand['peak_mb']:.0f} MB, {hand['rows']:,} rows"
        )
        if "seconds" in eng:
            print(f"  engine / hand-written = {eng['seconds'] / hand['seconds']:.2f}×")
            same = eng.get("statuses") == hand.get("statuses") and results.get("compare", {}).get(
                "identical_keys"
            )
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
