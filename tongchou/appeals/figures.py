"""Appeal figures per department, region and period, and the Excel ledger (台账).

All figures come from one scoped queryset (the permission policy's), aggregated in the database:

- response rate (响应率): share of orders whose first contact came on or before the feedback deadline;
- resolution rate (解决率): share of orders answered;
- satisfaction rate (满意率): 满意 + 基本满意 over rated orders;
- overdue: open orders past their feedback or resolution deadline now;
- average hours to first contact and to answer.
Merged duplicates are left out (the surviving order counts once).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate

from tongchou.appeals.models import Category
from tongchou.appeals.states import OPEN_STATUSES, RATING_LABELS, STATUS_LABELS, Rating, Status
from tongchou.core import clock


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = clock.SHANGHAI
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=tz
    )


def in_period(qs: QuerySet, start: date, end: date) -> QuerySet:
    lo, hi = period_bounds(start, end)
    return qs.filter(submitted_at__gte=lo, submitted_at__lt=hi).exclude(status=Status.MERGED)


def _aggregates(now: datetime) -> dict[str, Any]:
    open_q = Q(status__in=list(OPEN_STATUSES))
    return {
        "total": Count("pk"),
        "feedback_in_time": Count(
            "pk", filter=Q(feedback_at__isnull=False, feedback_at__lte=F("feedback_due"))
        ),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "rated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
        "overdue": Count(
            "pk",
            filter=open_q
            & (
                Q(feedback_at__isnull=True, feedback_due__lt=now)
                | Q(answered_at__isnull=True, resolution_due__lt=now)
            ),
        ),
        "avg_feedback": Avg(
            ExpressionWrapper(F("feedback_at") - F("submitted_at"), output_field=DurationField()),
            filter=Q(feedback_at__isnull=False),
        ),
        "avg_answer": Avg(
            ExpressionWrapper(F("answered_at") - F("submitted_at"), output_field=DurationField()),
            filter=Q(answered_at__isnull=False),
        ),
    }


def _hours(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 3600, 1)
    return round(float(value) / 3_600_000_000, 1)  # microseconds on some backends


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    total = row["total"] or 0
    out = dict(row)
    out["response_rate"] = round(100 * row["feedback_in_time"] / total, 1) if total else None
    out["resolution_rate"] = round(100 * row["answered"] / total, 1) if total else None
    out["satisfaction_rate"] = round(100 * row["satisfied"] / row["rated"], 1) if row["rated"] else None
    out["avg_feedback_hours"] = _hours(row.pop("avg_feedback", None))
    out["avg_answer_hours"] = _hours(row.pop("avg_answer", None))
    out.pop("avg_feedback", None)
    out.pop("avg_answer", None)
    return out


def figures(qs: QuerySet, start: date, end: date, *, now: datetime | None = None) -> dict[str, Any]:
    """Totals, per department, per region, per category and per day for the period."""
    now = now or clock.now()
    base = in_period(qs.order_by(), start, end)
    agg = _aggregates(now)
    totals = _rates(base.aggregate(**agg))
    by_department = [
        _rates(r) | {"name": r["department__name"] or "（待分办）"}
        for r in base.values("department__name").annotate(**agg).order_by("-total")
    ]
    by_region = [
        _rates(r) | {"name": r["region__name"]}
        for r in base.values("region__name").annotate(**agg).order_by("-total")
    ]
    labels = dict(Category.choices)
    by_category = [
        {"name": str(labels.get(r["category"], r["category"])), "total": r["total"]}
        for r in base.values("category").annotate(total=Count("pk")).order_by("-total")
    ]
    by_day = [
        {"day": r["day"].isoformat() if r["day"] else "", "total": r["total"], "answered": r["answered"]}
        for r in base.annotate(day=TruncDate("submitted_at", tzinfo=clock.SHANGHAI))
        .values("day")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by("day")
    ]
    return {
        "totals": totals,
        "by_department": by_department,
        "by_region": by_region,
        "by_category": by_category,
        "by_day": by_day,
    }


LEDGER_HEADERS = [
    "编号",
    "提交时间",
    "渠道",
    "区域",
    "企业",
    "联系人",
    "联系电话",
    "类别",
    "诉求内容",
    "承办部门",
    "状态",
    "反馈期限",
    "首次联系时间",
    "是否按期反馈",
    "办结期限",
    "答复时间",
    "答复内容",
    "评价",
    "评价意见",
    "报送批次",
]
MAX_LEDGER_ROWS = 200_000


def _fmt(value: datetime | None) -> str:
    return clock.localize(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_rows(qs: QuerySet):
    """Rows for the ledger (phones masked: the ledger travels)."""
    from tongchou.appeals.models import Channel
    from tongchou.core.masking import mask_phone

    channels = dict(Channel.choices)
    categories = dict(Category.choices)
    rows = qs.select_related(
        "region", "enterprise", "department", "batch", "batch__region", "submitter"
    ).order_by("submitted_at", "pk")
    for a in rows[:MAX_LEDGER_ROWS].iterator(chunk_size=2000):
        in_time = ""
        if a.feedback_at:
            in_time = "是" if a.feedback_due and a.feedback_at <= a.feedback_due else "否"
        phone = a.contact_phone or (a.submitter.phone if a.submitter_id else "")
        yield [
            a.number,
            _fmt(a.submitted_at),
            str(channels.get(a.channel, a.channel)),
            a.region.name,
            a.enterprise.name if a.enterprise_id else "",
            a.contact_name or (str(a.submitter) if a.submitter_id else ""),
            mask_phone(phone),
            str(categories.get(a.category, a.category)),
            a.text,
            a.department.name if a.department_id else "",
            STATUS_LABELS[Status(a.status)],
            _fmt(a.feedback_due),
            _fmt(a.feedback_at),
            in_time,
            _fmt(a.resolution_due),
            _fmt(a.answered_at),
            a.answer,
            RATING_LABELS[Rating(a.rating)] if a.rating else "",
            a.rating_comment,
            f"第{a.batch.number}批" if a.batch_id else "",
        ]


def ledger_workbook(qs: QuerySet, *, title: str = "诉求台账"):
    """A streaming (write-only) openpyxl workbook: bounded memory for large ledgers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    widths = [20, 17, 12, 10, 24, 10, 14, 14, 60, 24, 8, 17, 17, 10, 17, 17, 40, 10, 24, 10]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[_col(i)].width = w
    ws.freeze_panes = "A2"
    header = []
    for h in LEDGER_HEADERS:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)
    for row in ledger_rows(qs):
        ws.append(row)
    return wb


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)
