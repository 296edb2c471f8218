"""The command-line contracts other tools depend on: exact JSON shapes and exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from tongchou.enterprises.uscc import check, make_uscc

REPO = Path(__file__).resolve().parents[3]


def run(*args, stdin: str | None = None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tongchou.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    return subprocess.run(
        [sys.executable, "-m", "tongchou", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        input=stdin,
        timeout=120,
    )


def test_uscc_prints_one_json_object_per_code_and_exits_0_without_a_database():
    # DATABASE_URL points at nothing: the command must not touch the database
    good, bad = make_uscc("370306", 1), "91370306MA3C00001X"
    out = run("uscc", good, bad, "440305" + "X")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3
    assert set(lines[0]) == {"code", "valid", "errors", "warnings", "region_code", "entity_type"}
    assert lines[0] == {
        "code": good,
        "valid": True,
        "errors": [],
        "warnings": [],
        "region_code": "370306",
        "entity_type": "91",
    }
    assert lines[1]["valid"] is False and lines[1]["errors"]
    assert lines[2]["valid"] is False


def test_uscc_region_outside_shipped_divisions_is_a_warning_from_the_csv():
    code = make_uscc("110108", 3)
    out = run("uscc", code)
    line = json.loads(out.stdout)
    assert line["valid"] is True and "110108" in line["warnings"][0]


def test_uscc_without_codes_is_a_usage_error():
    assert run("uscc").returncode == 2


def test_size_class_prints_the_contract_shape():
    out = run("size-class", "--industry", "C3562", "--employees", "350", "--revenue", "2500")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"size_class", "row", "reason"}
    assert data["size_class"] == "medium" and data["row"] == "工业"


def test_size_class_missing_input_exits_2_with_chinese_message_on_stderr():
    out = run("size-class", "--industry", "E48", "--revenue", "100")
    assert out.returncode == 2
    assert out.stdout == ""
    assert "缺少资产总额（万元）" in out.stderr


def test_size_class_without_industry_is_a_usage_error():
    assert run("size-class", "--employees", "3").returncode == 2


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_generate_enterprises_to_file_is_deterministic_and_valid(tmp_path, suffix):
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    for path in (a, b):
        out = run(
            "generate-enterprises",
            "--count",
            "300",
            "--region",
            "370306",
            "--seed",
            "5",
            "--output",
            str(path),
        )
        assert out.returncode == 0, out.stderr
    assert a.read_bytes() == b.read_bytes() or suffix == ".xlsx"  # xlsx zips carry timestamps
    if suffix == ".csv":
        df = pl.read_csv(a, schema_overrides={"region_code": pl.String})
        assert df.height == 300
        for u, region in zip(df["uscc"], df["region_code"], strict=True):
            r = check(u)
            assert r.valid and r.region_code[:4] == "3703"
            assert region.startswith("370306")
