"""Excel exports (openpyxl, Chinese headers): the publicity list, the payout ledger, a simulation."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tongchou.core import clock
from tongchou.core.tables import escape_formula

HEAD_FILL = PatternFill("solid", fgColor="1F4E8C")
HEAD_FONT = Font(bold=True, color="FFFFFF")


def _sheet(
    ws, title: str, headers: list[str], rows: list[list[Any]], widths: list[int] | None = None
) -> None:
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.fill, cell.font = HEAD_FILL, HEAD_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for r in rows:
        ws.append([float(v) if hasattr(v, "as_tuple") else escape_formula(v) for v in r])
    for i, h in enumerate(headers, start=1):
        width = (widths[i - 1] if widths and i - 1 < len(widths) else None) or max(
            10, min(40, len(h) * 2 + 4)
        )
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def xlsx_response(wb: Workbook, name: str) -> HttpResponse:
    buf = io.BytesIO()
    wb.save(buf)
    filename = f"{name}_{clock.today():%Y%m%d}.xlsx"
    resp = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def publicity_workbook(deliveries, user: Any = None) -> Workbook:
    wb = Workbook()
    rows = []
    for i, d in enumerate(deliveries, start=1):
        rows.append(
            [
                i,
                d.enterprise.name,
                d.enterprise.uscc,
                d.enterprise.region.name if d.enterprise.region_id else "",
                d.rule_version.name,
                d.rule_version.rule.measure_id if hasattr(d.rule_version, "rule") else "",
                d.amount,
                d.publicity_start,
                d.publicity_end,
                d.get_status_display(),
            ]
        )
    _sheet(
        wb.active,
        "公示名单",
        [
            "序号",
            "企业名称",
            "统一社会信用代码",
            "所在区域",
            "政策事项",
            "措施编号",
            "拟兑现金额（元）",
            "公示开始",
            "公示截止",
            "状态",
        ],
        rows,
        [6, 34, 22, 12, 36, 20, 16, 12, 12, 16],
    )
    return wb


def ledger_workbook(deliveries) -> Workbook:
    wb = Workbook()
    rows = []
    total = 0
    for i, d in enumerate(deliveries.select_related("enterprise", "rule_version", "approved_by"), start=1):
        total += d.payout_amount or 0
        rows.append(
            [
                i,
                d.enterprise.name,
                d.enterprise.uscc,
                d.rule_version.name,
                f"{d.rule_id} 第{d.rule_version.number}版",
                d.amount,
                d.payout_amount,
                d.paid_on,
                d.account_masked,
                str(d.approved_by or ""),
                d.approved_at.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M") if d.approved_at else "",
                d.decision.run_id,
            ]
        )
    rows.append(["合计", "", "", "", "", "", total, "", "", "", "", ""])
    _sheet(
        wb.active,
        "拨付台账",
        [
            "序号",
            "企业名称",
            "统一社会信用代码",
            "政策事项",
            "规则版本",
            "核定金额（元）",
            "拨付金额（元）",
            "拨付日期",
            "收款账户",
            "审批人",
            "审批时间",
            "比对批次",
        ],
        rows,
        [6, 34, 22, 36, 30, 16, 16, 12, 14, 14, 18, 10],
    )
    return wb


def simulation_workbook(sim: dict) -> Workbook:
    wb = Workbook()
    summary = []
    for r in sim["results"]:
        summary.append(
            [
                r["label"],
                r["as_of"],
                r["population"],
                r["eligible"],
                r["unknown"],
                r["near_misses"],
                r["cost"],
                r["average"],
                r["budget"] or "",
                f"{r['budget_share']:.1%}" if r["budget_share"] is not None else "",
            ]  # fmt: skip
        )
    _sheet(
        wb.active,
        "测算汇总",
        [
            "方案",
            "测算日期",
            "企业总数",
            "符合（户）",
            "需补充（户）",
            "差一点（户）",
            "测算金额（元）",
            "户均（元）",
            "预算（元）",
            "占预算",
        ],
        summary,
        [40, 12, 10, 10, 12, 12, 16, 12, 16, 10],
    )
    for key, title in (("by_district", "按区县"), ("by_section", "按行业门类"), ("by_size", "按企业规模")):
        rows = []
        for r in sim["results"]:
            for g in r[key]:
                rows.append([r["label"], g["label"], g["key"], g["count"], g["cost"]])
        _sheet(
            wb.create_sheet(),
            title,
            ["方案", "分组", "代码", "符合（户）", "测算金额（元）"],
            rows,
            [40, 24, 10, 12, 16],
        )
    return wb
