"""The streaming .xlsx writer behind the ledger export (pure module)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tongchou.appeals.xlsx import TextSheetWorkbook, column_letter


@pytest.mark.parametrize(
    ("i", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (703, "AAA")]
)
def test_column_letters(i, letters):
    assert column_letter(i) == letters


def test_workbook_reads_back_with_openpyxl_keeping_text_positions_and_header_style():
    rows = [
        ["ZB1", "", "a<b&c", "  空格  ", 7],
        ["ZB2", "控制\x07字符", None, "", "x"],
    ]
    buf = io.BytesIO()
    TextSheetWorkbook(
        title="台账[1]", header=["编号", "时间", "内容", "备注", "数"], rows=rows, widths=[20] * 5
    ).save(buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb.active
    assert ws.title == "台账_1_"
    got = list(ws.iter_rows(values_only=True))
    assert got[0] == ("编号", "时间", "内容", "备注", "数")
    assert got[1] == ("ZB1", None, "a<b&c", "  空格  ", "7")
    assert got[2] == ("ZB2", "控制字符", None, None, "x")
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FF1F4E79"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 20
