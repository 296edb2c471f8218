"""import-enterprises / export-enterprises / generate-enterprises --load: the same services as the pages."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tongchou.enterprises.models import Enterprise
from tongchou.enterprises.uscc import make_uscc
from tongchou.facts.models import EnterpriseFact

pytestmark = pytest.mark.django_db


def test_generate_load_then_export_filtered(tmp_path):
    out = io.StringIO()
    call_command(
        "generate-enterprises", "--count", "400", "--region", "370306", "--seed", "9", "--load", stdout=out
    )
    summary = json.loads(out.getvalue())
    assert summary["created"] == 400 and summary["facts_written"] > 0
    assert Enterprise.objects.filter(region__code__startswith="370306").count() >= 400
    assert EnterpriseFact.objects.filter(source="合成数据").exists()
    # loading the same seed again updates instead of duplicating
    call_command(
        "generate-enterprises",
        "--count",
        "400",
        "--region",
        "370306",
        "--seed",
        "9",
        "--load",
        stdout=io.StringIO(),
    )
    assert Enterprise.objects.filter(region__code__startswith="370306").count() == summary["created"]

    target = tmp_path / "out.xlsx"
    call_command(
        "export-enterprises", "--output", str(target), "--kind", "sole_proprietor", stdout=io.StringIO()
    )
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码"
    assert len(rows) - 1 == Enterprise.objects.filter(kind="sole_proprietor").count()
    assert {r[2] for r in rows[1:]} == {"个体工商户"}
    assert all("****" in (r[-1] or "****") for r in rows[1:])


def test_import_command_refuses_with_row_errors_on_stderr(tmp_path, capsys):
    path = tmp_path / "x.csv"
    good = make_uscc("370306", 31)
    path.write_text(
        f"uscc,name,region_code,industry_code\n{good},甲,370306,C17\n{good},乙,370306,C17\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit) as exc:
        call_command("import-enterprises", str(path))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "第3行 [uscc]" in err and "与第2行重复" in err
    assert not Enterprise.objects.filter(uscc=good).exists()


def test_import_command_imports_with_source_and_date(tmp_path):
    path = tmp_path / "x.csv"
    code = make_uscc("370306", 32)
    path.write_text(
        f"uscc,name,region_code,industry_code,insured_employees\n{code},甲有限公司,370306,C17,12\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import-enterprises", str(path), "--source", "区人社局", "--as-of", "2020-03-01", stdout=out)
    assert json.loads(out.getvalue())["created"] == 1
    fact = EnterpriseFact.objects.get(enterprise__uscc=code, name="insured_employees")
    assert (fact.source, str(fact.as_of), fact.value_number) == ("区人社局", "2020-03-01", 12)
