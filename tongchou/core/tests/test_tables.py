"""The one table reader (pure): messy cells, headers, encodings, and the bounds that stop hostile
files (issue 17) before they cost memory."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tongchou.core import tables
from tongchou.core.tables import CellError, Column, Limits, TableError

from .spreadsheets import csv_file, far_cell, xlsx, zip_bomb

USCC = "91370306MA0000015E"


# --- cells ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("1,234.5", "", Decimal("1234.5")),
        ("１２３", "", Decimal("123")),
        (" 12 ", "", Decimal("12")),
        ("1，000", "", Decimal("1000")),
        ("20 000", "", Decimal("20000")),
        ("1.5万元", "元", Decimal("15000")),
        ("1.5万", "元", Decimal("15000")),
        ("15000元", "万元", Decimal("1.5")),
        ("800万元", "万元", Decimal("800")),
        ("1.2万人", "人", Decimal("12000")),
        ("3万元/月", "元/月", Decimal("30000")),
        ("5%", "", Decimal("0.05")),
        ("−3", "", Decimal("-3")),
        (12.5, "", Decimal("12.5")),
        (7, "", Decimal("7")),
        ("—", "", None),
        ("", "", None),
        (None, "", None),
    ],
)
def test_numbers_in_the_ways_people_write_them(raw, unit, expected):
    assert tables.to_number(raw, unit=unit) == expected


@pytest.mark.parametrize(
    ("raw", "unit"), [("十二", ""), ("1.2.3", ""), ("abc", ""), ("12人", "元"), (True, "")]
)
def test_what_is_not_a_number_is_refused_in_chinese(raw, unit):
    with pytest.raises(CellError) as err:
        tables.to_number(raw, unit=unit)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("TRUE", True), ("false", False), ("1", True), (0, False), (1.0, True),
     ("对", True), ("错", False), ("√", True), ("×", False), ("ｙｅｓ", True), (" 是 ", True), ("", None)],
)  # fmt: skip
def test_yes_and_no_in_every_spelling(raw, expected):
    assert tables.to_bool(raw) is expected


@pytest.mark.parametrize(
    "raw",
    ["2020-04-01", "2020/4/1", "2020.4.1", "2020年4月1日", "２０２０年４月１日", "20200401", "2020-04-01 08:30:00",
     dt.date(2020, 4, 1), dt.datetime(2020, 4, 1, 9), 43922, 20200401],
)  # fmt: skip
def test_dates_in_the_common_chinese_forms(raw):
    assert tables.to_date(raw) == dt.date(2020, 4, 1)


def test_impossible_dates_and_unknown_choices_are_refused():
    with pytest.raises(CellError, match="不是有效日期"):
        tables.to_date("2020-02-30")
    choices = (("city", "市级"), ("provincial", "省级"))
    assert tables.to_choice("市级", choices) == "city" and tables.to_choice("City", choices) == "city"
    with pytest.raises(CellError, match="不是可选值"):
        tables.to_choice("县级", choices)


# --- headers ----------------------------------------------------------------------------------------
COLUMNS = [
    Column("uscc", "统一社会信用代码", aliases=("信用代码",), required=True),
    Column("insured", "参保职工人数", "int", unit="人"),
    Column("paid", "失业保险费", "number", unit="元"),
    Column("difficult", "经营困难", "bool"),
]


def test_headers_map_by_key_label_or_alias_and_units_in_a_header_scale_the_column():
    head = tables.map_header([" 信用代码 ", "参保职工人数（人）", "失业保险费（万元）", "difficult"], COLUMNS)
    assert head.errors == []
    assert head.keys() == ["uscc", "insured", "paid", "difficult"]
    assert head.matches[2].scale == Decimal(10000)
    table = tables.open_table(
        csv_file(["信用代码", "失业保险费（万元）"], [[USCC, "1.5"], [USCC, "20000元"]]).getvalue(),
        filename="a.csv",
    )
    result = tables.parse_rows(table, COLUMNS)
    assert [r.values["paid"] for r in result.records] == [Decimal("15000.0"), Decimal("20000")]


def test_unknown_duplicate_and_missing_headers_are_row_one_errors():
    head = tables.map_header(["参保职工人数", "参保职工人数", "备注"], COLUMNS)
    texts = [e.text() for e in head.errors]
    assert "第1行第3列：未知的列名“备注”" in texts
    assert "第1行第2列：与“参保职工人数”重复：同一字段出现两列" in texts
    assert any("缺少必填列“统一社会信用代码”" in t for t in texts)
    assert tables.map_header(["uscc", "备注"], COLUMNS, unknown="ignore").warnings == [
        "已忽略无法识别的列“备注”"
    ]


def test_every_bad_cell_is_reported_with_its_row_and_column():
    f = csv_file(
        ["uscc", "参保职工人数", "经营困难"],
        [[USCC, "12", "是"], [USCC, "三十", "也许"], [], [USCC, "-1", "否"]],
    )
    result = tables.parse_rows(tables.open_table(f, filename="a.csv"), COLUMNS)
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "参保职工人数", "三十"),
        (3, "经营困难", "也许"),
    ]
    assert result.errors[0].text() == "第3行“参保职工人数”列：“三十”不是数字"
    assert [r.row for r in result.records] == [2, 5]  # the blank line 4 is skipped, numbering kept
    assert result.records[1].values["insured"] == -1


# --- reading files ----------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_the_encodings_offices_use(encoding):
    table = tables.open_table(csv_file(["名称", "uscc"], [["周村区鑫华便利店", USCC]], encoding=encoding))
    assert table.header == ["名称", "uscc"]
    assert list(table.rows()) == [(2, ("周村区鑫华便利店", USCC))]


def test_xlsx_rows_are_streamed_with_excel_row_numbers_and_typed_cells():
    f = xlsx(
        ["uscc", "参保职工人数", "日期"],
        [[USCC, 12, dt.date(2020, 4, 1)], [None, None, None], [USCC, "１３", None]],
    )
    table = tables.open_table(f)
    assert table.header == ["uscc", "参保职工人数", "日期"]
    rows = list(table.rows())
    assert [r[0] for r in rows] == [2, 4]
    assert rows[0][1][1] == 12 and rows[0][1][2] in (dt.date(2020, 4, 1), dt.datetime(2020, 4, 1))
    frame = tables.open_table(xlsx(["uscc", "n"], [[USCC, 12.0]])).frame()
    assert frame.to_dicts() == [{"uscc": USCC, "n": "12", "__row__": 2}]


@pytest.mark.parametrize(
    ("data", "name", "code", "words"),
    [
        (
            b"this is a word document, honestly",
            "facts.xlsx",
            "import_file_unreadable",
            "不是有效的 .xlsx 文件",
        ),
        (b"PK\x03\x04 but not really a zip", "facts.xlsx", "import_file_unreadable", "不是有效的 .xlsx 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "facts.xlsx", "import_file_type", "旧版 Excel"),
        (b"uscc\n1\n", "facts.pdf", "import_file_type", "不支持的文件类型"),
        (b"", "facts.csv", "import_file_empty", "文件为空"),
    ],
)
def test_files_that_are_not_what_they_claim_get_a_chinese_message(data, name, code, words):
    with pytest.raises(TableError) as err:
        tables.open_table(data, filename=name)
    assert err.value.code == code and words in err.value.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(TableError) as err:
        tables.open_table(b"uscc\n" + b"x\n" * 600, filename="big.csv", limits=Limits(max_bytes=1000))
    assert err.value.code == "import_file_too_large" and "超过上限" in err.value.message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_too_many_rows_is_refused_with_the_limit_named(kind):
    rows = [[USCC, i] for i in range(60)]
    f = csv_file(["uscc", "n"], rows) if kind == "csv" else xlsx(["uscc", "n"], rows)
    table = tables.open_table(f, limits=Limits(max_rows=50))
    with pytest.raises(TableError) as err:
        list(table.rows())
    assert err.value.code == "import_too_many_rows" and "50 行" in err.value.message
    assert len(list(tables.open_table(f, limits=Limits(max_rows=60)).rows())) == 60


def test_a_zip_bomb_is_refused_quickly_with_bounded_memory():
    """Issue 17: a small .xlsx that unzips to 5 million rows. The header is read, then the scan
    stops at the row limit: peak Python memory stays far below the sheet's size."""
    bomb = zip_bomb(["uscc", "insured_employees"], [USCC, 1])
    assert len(bomb) < 2_000_000
    tracemalloc.start()
    try:
        table = tables.open_table(io.BytesIO(bomb), filename="bomb.xlsx")
        assert table.header == ["uscc", "insured_employees"]
        with pytest.raises(TableError) as err:
            for _ in table.rows():
                pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.code == "import_too_many_rows"
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_a_wrong_header_is_refused_before_any_row_is_read():
    bomb = zip_bomb(["name_of_nothing", "x"], [USCC, 1])
    table = tables.open_table(io.BytesIO(bomb), filename="bomb.xlsx")
    result = tables.parse_rows(table, COLUMNS)
    assert result.records == [] and result.errors[0].row == 1
    assert any("缺少必填列" in e.message for e in result.errors)


def test_one_far_away_cell_cannot_make_the_reader_allocate_the_whole_sheet():
    table = tables.open_table(io.BytesIO(far_cell(["uscc"])), filename="far.xlsx")
    with pytest.raises(TableError) as err:
        list(table.rows())
    assert err.value.code == "import_too_many_rows"


# --- writing --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"), ("+86 138", "'+86 138"),
     ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("淄博", "淄博"), (-5, -5), (None, None)],
)  # fmt: skip
def test_cells_that_a_spreadsheet_would_run_are_written_as_text(value, expected):
    assert tables.escape_formula(value) == expected


def test_an_escaped_row_stays_text_in_the_saved_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(tables.safe_row(["=1+1", "ok"]))
    buf = io.BytesIO()
    wb.save(buf)
    cell = load_workbook(io.BytesIO(buf.getvalue())).active["A1"]
    assert cell.data_type == "s" and cell.value == "'=1+1"


def test_the_sheet_rectangle_is_bounded_by_its_widest_row():
    rows = [[USCC, 1, 2, 3, 4], [USCC], [USCC]]  # one wide row makes the whole rectangle 4 × 5
    f = xlsx(["uscc", "a", "b", "c", "d"], rows)
    with pytest.raises(TableError, match="单元格超过"):
        list(tables.open_table(f, limits=Limits(max_cells=15)).rows())
    with pytest.raises(TableError, match="列的上限"):
        list(tables.open_table(f, limits=Limits(max_columns=4)).rows())
    assert len(list(tables.open_table(f, limits=Limits(max_cells=40, max_columns=5)).rows())) == 3
