"""Excel out: the import template, and the current filtered enterprise list (台账)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tongchou.core.masking import mask_phone
from tongchou.core.tables import safe_row
from tongchou.enterprises.template import GENERATED_FACT_COLUMNS, KIND_LABELS, REGISTRY_COLUMNS

HEADER_FILL = PatternFill("solid", fgColor="FBE9E7")
REQUIRED_FILL = PatternFill("solid", fgColor="F8C9C4")
SIZE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型", "": ""}

EXAMPLE_ROW = {
    "uscc": "91370306MA0000015E",
    "name": "淄博示例纺织有限公司",
    "kind": "企业",
    "region_code": "370306001",
    "industry_code": "C1711",
    "employees": 86,
    "revenue_wan": 4200,
    "assets_wan": 3600,
    "registered_on": "2016-05-20",
    "above_designated_size": "是",
    "foreign_invested": "否",
    "exporter": "是",
    "high_tech": "否",
    "legal_representative": "王建华",
    "contact_phone": "13905330000",
}


def template_workbook(*, with_facts: bool = True) -> bytes:
    """The downloadable import template: Chinese headers (units in the header), a note on each
    header cell, an instructions sheet and one example row to overwrite."""
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    columns = list(REGISTRY_COLUMNS) + (list(GENERATED_FACT_COLUMNS) if with_facts else [])
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = ("必填。" if col.required else "") + (col.note or "") + f"\n英文键：{col.key}"
        cell.comment = Comment(note, "统筹平台")
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(col.header) * 2 + 2)
        ws.cell(row=2, column=i, value=EXAMPLE_ROW.get(col.key))
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("填写说明")
    lines = [
        "企业名录导入模板（统筹平台）",
        "1. 第1行为表头，请勿修改；从第2行起每行一个市场主体（第2行为示例，请覆盖或删除）。",
        "2. 红色表头为必填列：统一社会信用代码、名称、所在区域代码、行业代码。",
        "3. 金额单位为万元（营业收入、资产总额），人数单位为人；部门数据列金额单位为元。",
        "4. 是/否 列可填：是、否、true、false、1、0。日期可填 2018-05-20、2018/5/20 或 2018年5月20日。",
        "5. 数字中的千分位逗号、全角数字和多余空格会被自动识别。",
        "6. 任何一行有误时整个文件都不会导入，系统会列出每个错误的行号、列名和原因。",
        "7. 按统一社会信用代码更新已有企业；企业规模按《统计上大中小微型企业划分办法（2017）》自动判定。",
        "8. 表头也可以使用英文键（见表头批注），例如 uscc、name、region_code、industry_code。",
    ]
    for r, text in enumerate(lines, start=1):
        help_ws.cell(row=r, column=1, value=text).font = Font(bold=(r == 1))
    help_ws.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("uscc", "统一社会信用代码"),
    ("name", "名称"),
    ("kind", "主体类型"),
    ("region_code", "所在区域代码"),
    ("region_name", "所在区域"),
    ("industry_code", "行业代码"),
    ("industry_name", "行业"),
    ("employees", "从业人员（人）"),
    ("revenue_wan", "营业收入（万元）"),
    ("assets_wan", "资产总额（万元）"),
    ("size_class", "企业规模"),
    ("registered_on", "成立日期"),
    ("above_designated_size", "规模以上"),
    ("foreign_invested", "外商投资"),
    ("exporter", "出口企业"),
    ("high_tech", "高新技术企业"),
    ("legal_representative", "法定代表人"),
    ("contact_phone", "联系电话"),
]


def export_rows(rows: Iterable[dict[str, Any]], *, mask: bool = True) -> bytes:
    """An .xlsx of enterprises (dicts with the EXPORT_COLUMNS keys). Phones masked unless ``mask`` is
    False (the caller audits unmasked exports)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业名录")
    ws.append([h for _, h in EXPORT_COLUMNS])
    for r in rows:
        out = []
        for key, _ in EXPORT_COLUMNS:
            v = r.get(key)
            if key == "kind":
                v = KIND_LABELS.get(v or "", v)
            elif key == "size_class":
                v = SIZE_LABELS.get(v or "", v)
            elif key in ("above_designated_size", "foreign_invested", "exporter", "high_tech"):
                v = "是" if v else "否"
            elif key == "contact_phone" and mask:
                v = mask_phone(v)
            elif v is not None and key in ("revenue_wan", "assets_wan"):
                v = float(v)
            out.append(v)
        ws.append(safe_row(out))  # a name starting with = + - @ stays text, never a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
