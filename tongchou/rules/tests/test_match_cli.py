"""``tongchou match`` through the CLI: CSV/XLSX in, CSV/JSONL out, no database."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "uscc,region_code,size_class,insured_employees_prev_year_end,insured_employees,unemployment_insurance_paid_prev_year,state_owned_rent_monthly,is_hr_agency,job_placements\n"
ROWS = [
    "91370306MA3C000001,370306,small,100,95,20000,5000,是,10\n",  # retention 10000, rent 15000, placement 1200
    "91370306MA3C000002,370306,,100,94,20000,,否,\n",
]


def write_csv(tmp_path: Path) -> Path:
    path = tmp_path / "enterprises.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    return path


def read_out(path: Path) -> list[dict]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_match_writes_eligible_and_unknown_rows_with_amounts(tmp_path):
    out = tmp_path / "out.csv"
    call_command("match", enterprises=str(write_csv(tmp_path)), as_of="2020-04-01", output=str(out))
    rows = read_out(out)
    assert list(rows[0]) == ["uscc", "rule_id", "measure_id", "status", "amount_yuan", "explanation"]
    by = {(r["uscc"], r["rule_id"]): r for r in rows}
    first = "91370306MA3C000001"
    assert by[(first, "zhoucun.job_retention_refund")]["amount_yuan"] == "10000.00"
    assert by[(first, "zhoucun.job_placement_subsidy")]["amount_yuan"] == "1200.00"
    assert by[(first, "zhoucun.job_placement_subsidy")]["measure_id"] == "zhoucun-2020-8/15"
    rent = by[(first, "zhoucun.rent_waiver")]
    assert rent["status"] == "eligible" and rent["amount_yuan"] == ""  # a fee reduction, not cash
    assert "15000.00" in rent["explanation"]
    assert {r["status"] for r in rows} == {"eligible", "unknown"}
    second = by[("91370306MA3C000002", "zhoucun.rent_waiver")]
    assert second["status"] == "unknown" and second["explanation"].startswith("需补充：企业规模")
    assert ("91370306MA3C000002", "zhoucun.job_retention_refund") not in by  # ineligible: 6% layoffs


def test_match_all_includes_ineligible_rows_as_jsonl(tmp_path):
    out = tmp_path / "out.jsonl"
    call_command(
        "match", enterprises=str(write_csv(tmp_path)), as_of="2020-04-01", output=str(out), all_rows=True
    )
    rows = read_out(out)
    miss = next(
        r for r in rows if r["uscc"].endswith("02") and r["rule_id"] == "zhoucun.job_retention_refund"
    )
    assert miss["status"] == "ineligible" and miss["amount_yuan"] is None
    assert "差0.005" in miss["explanation"]
    # Zhoucun enterprises see Zhoucun and Zibo rules, never Jinan ones
    assert not any(r["rule_id"].startswith("jinan.") for r in rows)


def test_match_reads_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(["91370306MA3C000001", "370306", "small", 100, 95, 20000, 5000, True, 10])
    path = tmp_path / "e.xlsx"
    wb.save(path)
    out = tmp_path / "out.csv"
    call_command("match", enterprises=str(path), as_of="2020-04-01", output=str(out))
    by = {r["rule_id"]: r for r in read_out(out)}
    assert by["zhoucun.job_retention_refund"]["amount_yuan"] == "10000.00"


def test_match_refuses_unknown_columns_and_bad_values_in_chinese(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("uscc,insured_employes\nX,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未知的列“insured_employes”.*insured_employees"):
        call_command("match", enterprises=str(bad), as_of="2020-04-01", output=str(tmp_path / "o.csv"))
    bad.write_text("uscc,employees\nX,1\nY,十\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第3行“employees”列：“十”不是数字"):
        call_command("match", enterprises=str(bad), as_of="2020-04-01", output=str(tmp_path / "o.csv"))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("match", enterprises=str(bad), as_of="2020/04/01", output=str(tmp_path / "o.csv"))


def test_match_uses_a_rules_directory(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "one.yaml").write_text(
        "id: test.placement\nname: 测试\nmeasure_id: zhoucun-2020-8/15\nregion: '370306'\n"
        "conditions:\n  - {label: 人力资源机构, expression: is_hr_agency}\n"
        "benefit: {kind: cash, formula: 1 * job_placements}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    call_command(
        "match", enterprises=str(write_csv(tmp_path)), as_of="2020-04-01", rules=str(rules), output=str(out)
    )
    rows = read_out(out)
    assert [(r["rule_id"], r["amount_yuan"]) for r in rows] == [("test.placement", "10.00")]


def test_match_runs_as_a_subprocess_without_a_database(tmp_path):
    out = tmp_path / "out.csv"
    env = {
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "PATH": "/usr/bin:/bin",
        "TONGCHOU_HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tongchou.cli",
            "match",
            "--enterprises",
            str(write_csv(tmp_path)),
            "--as-of",
            "2020-04-01",
            "--output",
            str(out),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "已评估 2 家企业" in proc.stdout
    assert "匹配" not in proc.stderr  # no progress bar when stderr is not a terminal
    assert len(read_out(out)) > 3


def _written_the_old_way(result, path: Path, order: dict) -> None:
    """The writer before streaming: the whole frame, sorted, through csv.writer / json.dumps."""
    import polars as pl

    from tongchou.rules.engine.output import COLUMNS, output_frame

    result = (
        result.with_columns(pl.col("rule_id").replace_strict(order, return_dtype=pl.Int64).alias("_o"))
        .sort(["uscc", "_o"])
        .drop("_o")
    )
    rows = output_frame(result)
    if path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for row in rows.iter_rows(named=True):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in rows.iter_rows():
            writer.writerow(["" if v is None else (f"{v:.2f}" if isinstance(v, float) else v) for v in row])


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
@pytest.mark.parametrize("keep", ["matched", "all"])
def test_streamed_output_is_byte_identical_to_the_whole_frame_writer(tmp_path, suffix, keep):
    import datetime as dt

    from tongchou.rules.engine import evaluate, evaluate_compact, load_rules
    from tongchou.rules.engine.output import write_results
    from tongchou.rules.engine.synthetic import population

    rules = load_rules(Path(__file__).resolve().parents[1] / "pack")
    facts = population(1500, seed=9).reverse()
    as_of = dt.date(2020, 4, 1)
    order = {r.id: i for i, r in enumerate(rules)}
    old, new = tmp_path / f"old{suffix}", tmp_path / f"new{suffix}"
    _written_the_old_way(evaluate(rules, facts, as_of, keep=keep), old, order)
    n = write_results(evaluate_compact(rules, facts, as_of, keep=keep), new, rule_order=order, batch=1000)
    assert n > 1000
    assert new.read_bytes() == old.read_bytes()
