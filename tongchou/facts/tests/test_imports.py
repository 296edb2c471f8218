"""Department data files: messy values accepted, every problem named by row and column, nothing
half-written; and hostile files refused in Chinese on the page, the API and the CLI."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tongchou.core.models import AuditEntry
from tongchou.core.tables import TableError
from tongchou.core.tests.spreadsheets import csv_file, xlsx, zip_bomb
from tongchou.facts.models import EnterpriseFact, FactImport
from tongchou.facts.services import FactsRefused, facts_import

AS_OF = dt.date(2020, 4, 10)
pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(make_enterprise):
    return [make_enterprise(name=f"周村导入测试{i}有限公司") for i in range(3)]


def _named(f, name):
    f.name = name
    return f


def test_messy_values_under_chinese_headers_are_read_and_stored(firms):
    a, b, c = firms
    header = ["统一社会信用代码", "参保职工人数（人）", "上年度实际缴纳失业保险费（万元）", "经营性人力资源服务机构",
              "创业孵化示范基地级别", "受疫情影响生产经营困难"]  # fmt: skip
    rows = [
        [f" {a.uscc.lower()} ", "１,２００", "1.5", "是", "市级", "对"],
        [b.uscc, "30人", "20,000元", "false", "provincial", ""],
        [c.uscc, 12.0, None, 0, "无", "×"],
    ]
    record = facts_import(file=xlsx(header, rows), source="区人力资源社会保障局", as_of=AS_OF)
    assert (record.rows, record.facts) == (3, 13)
    got = {(f.enterprise_id, f.name): f for f in EnterpriseFact.objects.filter(as_of=AS_OF)}
    assert got[(a.pk, "insured_employees")].value_number == 1200
    assert got[(a.pk, "unemployment_insurance_paid_prev_year")].value_number == Decimal("15000")
    assert got[(b.pk, "unemployment_insurance_paid_prev_year")].value_number == Decimal("20000")
    assert (
        got[(a.pk, "is_hr_agency")].value_text == "true" and got[(c.pk, "is_hr_agency")].value_text == "false"
    )
    assert (
        got[(a.pk, "incubator_level")].value_text == "city"
        and got[(c.pk, "incubator_level")].value_text == "none"
    )
    assert (b.pk, "operating_difficulty") not in got  # an empty cell is no value
    assert {f.source for f in got.values()} == {"区人力资源社会保障局"}
    entry = AuditEntry.objects.filter(action="facts.import").latest("id")
    assert entry.detail["facts"] == 13


def test_every_problem_is_named_and_nothing_is_written(firms):
    a, b, _ = firms
    header = ["uscc", "insured_employees", "operating_difficulty", "registered_on"]
    rows = [
        [a.uscc, "10", "是", "2018-05-20"],
        [b.uscc, "三十", "也许", "2018-02-30"],
        ["91370306MA00000000", "4", "否", ""],
        [a.uscc, "5", "否", ""],
    ]
    before = (EnterpriseFact.objects.count(), FactImport.objects.count())
    with pytest.raises(FactsRefused) as err:
        facts_import(file=csv_file(header, rows), source="区人社局", as_of=AS_OF)
    detail = err.value.detail
    assert [(d["row"], d["column"]) for d in detail] == [
        (3, "insured_employees"),
        (3, "operating_difficulty"),
        (3, "registered_on"),
        (4, ""),
        (5, ""),
    ]
    assert detail[0]["message"] == "第3行“insured_employees”列：“三十”不是数字"
    assert detail[3]["message"] == "第4行：统一社会信用代码“91370306MA00000000”不在企业库中"
    assert detail[4]["message"] == f"第5行：统一社会信用代码“{a.uscc}”与第2行重复"
    assert "第3、4、5行" in err.value.message
    assert (EnterpriseFact.objects.count(), FactImport.objects.count()) == before


def test_a_bad_header_is_refused_with_a_suggestion(firms):
    with pytest.raises(FactsRefused) as err:
        facts_import(
            file=csv_file(["uscc", "insured_employes"], [[firms[0].uscc, 3]]), source="人社局", as_of=AS_OF
        )
    assert err.value.message == "第1行第2列：未知的事实名“insured_employes”，您是否想写“insured_employees”？"


def test_department_staff_import_only_for_their_region(users, make_enterprise):
    inside = make_enterprise(region_code="370306")
    outside = make_enterprise(region_code="370302")
    body = csv_file(["uscc", "insured_employees"], [[inside.uscc, 1], [outside.uscc, 2]])
    with pytest.raises(FactsRefused, match="不在您的管辖区域"):
        facts_import(file=body, source="区人社局", as_of=AS_OF, actor=users["department"])
    assert facts_import(file=body, source="市人社局", as_of=AS_OF, actor=users["admin"]).rows == 2


def test_an_over_long_file_is_refused_with_the_limit_named(firms, settings):
    settings.TONGCHOU_IMPORT_MAX_ROWS = 5
    rows = [[firms[i % 3].uscc, i] for i in range(6)]
    with pytest.raises(TableError) as err:
        facts_import(file=xlsx(["uscc", "insured_employees"], rows), source="人社局", as_of=AS_OF)
    assert err.value.code == "import_too_many_rows" and "5 行" in err.value.message
    assert not EnterpriseFact.objects.exists()


# --- the interfaces people and tools use ---------------------------------------------------------------
NOT_EXCEL = b"%PDF-1.4 this is not a spreadsheet at all"


def test_the_upload_page_takes_a_file_and_shows_problems_in_chinese(client_as, firms):
    client = client_as("admin")
    good = _named(csv_file(["统一社会信用代码", "参保职工人数"], [[firms[0].uscc, "15"]]), "ok.csv")
    resp = client.post(reverse("rules:facts_upload"), {"file": good, "source": "区人社局", "as_of": "2020-04-10"},
                       follow=True)  # fmt: skip
    assert resp.status_code == 200 and "已导入 1 户企业的 1 项数据" in resp.content.decode()
    for data, words in (
        (NOT_EXCEL, "不是有效的 .xlsx 文件"),
        (zip_bomb(["uscc", "insured_employees"], [firms[0].uscc, 1]), "行数据的上限"),
    ):
        f = _named(io.BytesIO(data), "bad.xlsx")
        resp = client.post(
            reverse("rules:facts_upload"), {"file": f, "source": "区人社局", "as_of": "2020-04-10"}
        )
        assert resp.status_code == 200
        assert words in resp.content.decode()
    assert EnterpriseFact.objects.count() == 1


def test_the_api_imports_and_answers_errors_in_the_envelope(client_as, firms):
    client = client_as("department")
    f = _named(csv_file(["uscc", "insured_employees"], [[firms[1].uscc, "7"]]), "api.csv")
    resp = client.post("/api/facts/import", {"file": f, "source": "区人社局", "as_of": "2020-04-10"})
    assert resp.status_code == 200, resp.content
    assert resp.json()["rows"] == 1 and resp.json()["columns"] == ["insured_employees"]
    resp = client.post(
        "/api/facts/import", {"file": _named(io.BytesIO(NOT_EXCEL), "x.xlsx"), "as_of": "2020-04-10"}
    )
    assert resp.status_code == 400
    assert (
        resp.json()["code"] == "import_file_unreadable" and "不是有效的 .xlsx 文件" in resp.json()["message"]
    )
    resp = client.post("/api/enterprises/import", {"file": _named(io.BytesIO(NOT_EXCEL), "x.xlsx")})
    assert resp.status_code == 400 and resp.json()["code"] == "import_file_unreadable"


def test_the_enterprise_import_page_explains_a_file_that_is_not_excel(client_as):
    resp = client_as("admin").post(
        reverse("enterprises:import"), {"file": _named(io.BytesIO(NOT_EXCEL), "x.xlsx")}
    )
    assert resp.status_code == 200 and "不是有效的 .xlsx 文件" in resp.content.decode()


@pytest.mark.parametrize("command", ["import-facts", "import-enterprises", "match"])
def test_the_commands_explain_a_file_that_is_not_excel_without_a_traceback(command, tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(NOT_EXCEL)
    args = {
        "import-facts": [str(path), "--source", "人社局", "--as-of", "2020-04-10"],
        "import-enterprises": [str(path)],
        "match": ["--enterprises", str(path), "--as-of", "2020-04-10", "--output", str(tmp_path / "o.csv")],
    }[command]
    with pytest.raises(CommandError, match="不是有效的 .xlsx 文件"):
        call_command(command, *args)


def test_the_import_command_reads_chinese_headers(firms, capsys):
    path = firms and _write(csv_file(["统一社会信用代码", "参保职工人数"], [[firms[2].uscc, "9"]]))
    call_command("import-facts", str(path), "--source", "人社局", "--as-of", "2020-04-10")
    assert "已导入 1 户企业的 1 项数据（人社局，2020-04-10）：insured_employees" in capsys.readouterr().out


def _write(f) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as tmp:
        tmp.write(f.getvalue())
    return tmp.name
