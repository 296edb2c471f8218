"""Import: messy values accepted, every bad row reported by row/column/reason, nothing written on error,
upsert by USCC, facts from extra columns, size class derived."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tongchou.core.models import AuditEntry
from tongchou.enterprises.exporting import template_workbook
from tongchou.enterprises.importing import (
    BadValue,
    ImportRefused,
    enterprises_import,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
)
from tongchou.enterprises.models import Enterprise
from tongchou.enterprises.uscc import make_uscc
from tongchou.facts.models import EnterpriseFact

HEADERS = ["统一社会信用代码", "名称", "主体类型", "所在区域代码", "行业代码", "从业人员（人）", "营业收入（万元）", "资产总额（万元）",
           "成立日期", "规模以上", "联系电话"]  # fmt: skip


def xlsx(rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "upload.xlsx"
    return buf


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig") -> io.BytesIO:
    s = io.StringIO()
    w = csv.writer(s)
    w.writerow(headers)
    w.writerows(rows)
    buf = io.BytesIO(s.getvalue().encode(encoding))
    buf.name = "upload.csv"
    return buf


def good_row(n, region="370306001", industry="C17"):
    return [make_uscc("370306", 5000 + n), f"淄博测试{n}纺织有限公司", "企业", region, industry, 50, 800, 600,
            "2018-05-20", "否", "13905330000"]  # fmt: skip


# --- pure value parsing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [("1,234.5", Decimal("1234.5")), ("１２３", Decimal("123")), (" 12 ", Decimal("12")), ("800万元", Decimal("800")),
     (12.5, Decimal("12.5")), (7, Decimal("7")), ("", None), (None, None), ("—", None), ("1，000", Decimal("1000"))],
)  # fmt: skip
def test_messy_numbers_are_understood(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["十二", "1.2.3", "abc"])
def test_non_numbers_are_refused(raw):
    with pytest.raises(BadValue):
        parse_decimal(raw)


def test_integers_must_be_whole():
    assert parse_int("1,200") == 1200
    assert parse_int(30.0) == 30
    with pytest.raises(BadValue):
        parse_int("12.5")
    with pytest.raises(BadValue):
        parse_int("-3")


@pytest.mark.parametrize("raw,expected", [("是", True), ("否", False), ("TRUE", True), ("false", False), ("1", True),
                                          (0, False), (" 是 ", True), (True, True), ("Y", True), ("", None)])  # fmt: skip
def test_booleans_in_every_spelling(raw, expected):
    assert parse_bool(raw) is expected


@pytest.mark.parametrize(
    "raw",
    ["2018-05-20", "2018/5/20", "2018.05.20", "2018年5月20日", "20180520", dt.date(2018, 5, 20),
     dt.datetime(2018, 5, 20, 10, 0), 43240, "２０１８-０５-２０"],
)  # fmt: skip
def test_dates_in_every_spelling(raw):
    assert parse_date(raw) == dt.date(2018, 5, 20)


def test_bad_date_is_refused():
    with pytest.raises(BadValue):
        parse_date("2018-02-30")


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written():
    before = Enterprise.objects.count()
    rows = [good_row(i) for i in range(6)]
    rows[1][0] = rows[1][0][:-1] + ("0" if rows[1][0][-1] != "0" else "1")  # row 3: check character
    rows[3][3] = "370399"  # row 5: unknown region
    rows[4][0] = rows[0][0]  # row 6: duplicate of row 2
    rows[5][5] = "五十"  # row 7: not a number
    with pytest.raises(ImportRefused) as exc:
        enterprises_import(source=xlsx(rows), filename="upload.xlsx")
    detail = exc.value.detail
    got = [(d["row"], d["column"]) for d in detail]
    assert got == [
        (3, "统一社会信用代码"),
        (5, "所在区域代码"),
        (6, "统一社会信用代码"),
        (7, "从业人员（人）"),
    ]
    assert "第18位校验码" in detail[0]["message"]
    assert detail[2]["message"] == "统一社会信用代码与第2行重复"
    assert "“五十”不是数字" in detail[3]["message"]
    assert "第3、5、6、7行" in exc.value.message
    assert Enterprise.objects.count() == before
    assert not EnterpriseFact.objects.exists()


@pytest.mark.django_db
def test_messy_values_are_accepted_and_size_class_derived():
    row = good_row(1)
    row[0] = " " + row[0].lower() + " "
    row[2] = "企业"
    row[5] = "１,２００"  # full-width digits with a thousands separator
    row[6] = " 45,000 "
    row[8] = "2018年5月20日"
    row[9] = "是"
    report = enterprises_import(source=xlsx([row]), filename="upload.xlsx")
    assert report.created == 1
    e = Enterprise.objects.get(uscc=row[0].strip().upper())
    assert e.employees == 1200 and e.revenue_wan == Decimal("45000.00")
    assert e.registered_on == dt.date(2018, 5, 20)
    assert e.above_designated_size is True
    assert e.size_class == "large"  # 工业: ≥1000 persons and ≥40000万元
    assert e.region_id == "370306001"


@pytest.mark.django_db
def test_csv_in_gbk_with_english_keys_is_accepted():
    headers = ["uscc", "name", "kind", "region_code", "industry_code", "employees", "revenue_wan"]
    rows = [[make_uscc("370306", 77, entity="2"), "周村区鑫华便利店", "", "370306", "F52", "3", "30"]]
    report = enterprises_import(source=csv_bytes(rows, headers, encoding="gb18030"), filename="x.csv")
    assert report.created == 1
    e = Enterprise.objects.get(name="周村区鑫华便利店")
    assert e.kind == "sole_proprietor"  # from the USCC's entity type when the column is blank
    assert e.size_class == "micro"


@pytest.mark.django_db
def test_upsert_by_uscc_updates_existing_enterprise():
    row = good_row(2)
    enterprises_import(source=xlsx([row]), filename="a.xlsx")
    row[1] = "淄博改名纺织有限公司"
    row[5] = 400
    row[6] = 3000
    report = enterprises_import(source=xlsx([row]), filename="a.xlsx")
    assert (report.created, report.updated) == (0, 1)
    e = Enterprise.objects.get(uscc=row[0])
    assert e.name == "淄博改名纺织有限公司" and e.size_class == "medium"


@pytest.mark.django_db
def test_fact_columns_become_dated_facts_with_source():
    headers = [*HEADERS, "参保职工人数", "is_hr_agency", "承租国有企业经营性房产月租金（元/月）"]
    row = [*good_row(3), "48", "否", "12,000"]
    report = enterprises_import(
        source=xlsx([row], headers),
        filename="f.xlsx",
        fact_source="周村区人力资源和社会保障局",
        as_of=dt.date(2020, 3, 1),
    )
    assert report.facts_written == 3
    facts = {f.name: f for f in EnterpriseFact.objects.filter(enterprise__uscc=row[0])}
    assert facts["insured_employees"].value_number == 48
    assert facts["is_hr_agency"].value_text == "false" and facts["is_hr_agency"].value_number is None
    assert facts["state_owned_rent_monthly"].value_number == 12000
    assert {f.source for f in facts.values()} == {"周村区人力资源和社会保障局"}
    assert {f.as_of for f in facts.values()} == {dt.date(2020, 3, 1)}
    # same day again: updated, not duplicated
    row[-3] = "50"
    enterprises_import(source=xlsx([row], headers), filename="f.xlsx", as_of=dt.date(2020, 3, 1))
    assert EnterpriseFact.objects.get(enterprise__uscc=row[0], name="insured_employees").value_number == 50
    assert EnterpriseFact.objects.filter(enterprise__uscc=row[0]).count() == 3


@pytest.mark.django_db
def test_missing_required_column_is_reported_on_the_header_row():
    headers = [h for h in HEADERS if h != "行业代码"]
    rows = [[v for i, v in enumerate(good_row(4)) if HEADERS[i] != "行业代码"]]
    with pytest.raises(ImportRefused) as exc:
        enterprises_import(source=xlsx(rows, headers), filename="x.xlsx")
    assert exc.value.detail[0]["row"] == 1
    assert "缺少必填列“行业代码”" in exc.value.detail[0]["message"]


@pytest.mark.django_db
def test_unshipped_industry_class_falls_back_to_its_division_with_a_warning():
    row = good_row(5, industry="C1711")
    report = enterprises_import(source=xlsx([row]), filename="x.xlsx")
    assert Enterprise.objects.get(uscc=row[0]).industry_id == "C17"
    assert any("C1711" in w for w in report.warnings)


@pytest.mark.django_db
def test_department_import_is_limited_to_its_region():
    row = good_row(6, region="370302")  # 淄川区, outside 周村区
    with pytest.raises(ImportRefused) as exc:
        enterprises_import(source=xlsx([row]), filename="x.xlsx", allowed_region_prefix="370306")
    assert exc.value.detail[0]["column"] == "所在区域代码"


@pytest.mark.django_db
def test_import_is_audited(users):
    enterprises_import(source=xlsx([good_row(7)]), filename="x.xlsx", actor=users["admin"])
    entry = AuditEntry.objects.filter(action="enterprises.import").latest("id")
    assert entry.actor == users["admin"] and entry.detail["created"] == 1


@pytest.mark.django_db
def test_downloaded_template_imports_after_its_example_row_is_filled_in():
    wb = load_workbook(io.BytesIO(template_workbook()))
    ws = wb["企业名录"]
    headers = [c.value for c in ws[1]]
    assert "营业收入（万元）" in headers and "统一社会信用代码" in headers
    # the untouched example row is skipped, a real row is imported
    uscc = make_uscc("370306", 4242)
    ws.append([uscc, "淄博模板测试有限公司", "企业", "370306", "C17", 30, 500] + [None] * (len(headers) - 7))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = enterprises_import(source=buf, filename="template.xlsx")
    assert report.created == 1
    assert any("示例行" in w for w in report.warnings)
    assert Enterprise.objects.filter(uscc=uscc).exists()
