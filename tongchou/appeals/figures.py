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

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
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


def _duration(later: str) -> Any:
    return ExpressionWrapper(F(later) - F("submitted_at"), output_field=DurationField())


def _hours(value: Any) -> float:
    """Durations come back as timedelta (PostgreSQL) or microseconds (some SQLite paths)."""
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000


COUNTERS = (
    "total",
    "feedback_in_time",
    "answered",
    "rated",
    "satisfied",
    "overdue",
    "n_feedback",
    "n_answer",
)
SUMS = ("sum_feedback", "sum_answer")


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
        "n_feedback": Count("feedback_at"),
        "n_answer": Count("answered_at"),
        "sum_feedback": Sum(
            _duration("feedback_at"), filter=Q(feedback_at__isnull=False), output_field=DurationField()
        ),
        "sum_answer": Sum(
            _duration("answered_at"), filter=Q(answered_at__isnull=False), output_field=DurationField()
        ),
    }


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    total = row["total"] or 0
    out = {k: row.get(k) or 0 for k in COUNTERS}
    out["response_rate"] = round(100 * row["feedback_in_time"] / total, 1) if total else None
    out["resolution_rate"] = round(100 * row["answered"] / total, 1) if total else None
    out["satisfaction_rate"] = round(100 * row["satisfied"] / row["rated"], 1) if row["rated"] else None
    out["avg_feedback_hours"] = (
        round(row["sum_feedback"] / row["n_feedback"], 1) if row["n_feedback"] else None
    )
    out["avg_answer_hours"] = round(row["sum_answer"] / row["n_answer"], 1) if row["n_answer"] else None
    return out


def _add(acc: dict[str, float], row: dict[str, Any]) -> None:
    for k in COUNTERS:
        acc[k] = acc.get(k, 0) + (row.get(k) or 0)
    for k in SUMS:
        acc[k] = acc.get(k, 0.0) + _hours(row.get(k))


def figures(qs: QuerySet, start: date, end: date, *, now: datetime | None = None) -> dict[str, Any]:
    """Totals, per department, per region, per category and per day for the period.

    Two scans of the period: one grouped by (department, region, category) carrying every
    counter, rolled up here into totals and the three breakdowns; one grouped by day.
    """
    from tongchou.regions.models import Department, Region

    now = now or clock.now()
    base = in_period(qs.order_by(), start, end)
    cells = list(base.values("department_id", "region_id", "category").annotate(**_aggregates(now)))
    totals: dict[str, float] = {k: 0 for k in (*COUNTERS, *SUMS)}
    per_dept: dict[Any, dict[str, float]] = {}
    per_region: dict[Any, dict[str, float]] = {}
    per_cat: dict[str, int] = {}
    for cell in cells:
        _add(totals, cell)
        _add(per_dept.setdefault(cell["department_id"], {}), cell)
        _add(per_region.setdefault(cell["region_id"], {}), cell)
        per_cat[cell["category"]] = per_cat.get(cell["category"], 0) + cell["total"]
    dept_names = dict(Department.objects.filter(pk__in=[k for k in per_dept if k]).values_list("pk", "name"))
    region_names = dict(Region.objects.filter(pk__in=list(per_region)).values_list("pk", "name"))
    by_department = sorted(
        (
            _rates(v) | {"name": dept_names.get(k, "（待分办）") if k else "（待分办）"}
            for k, v in per_dept.items()
        ),
        key=lambda r: -r["total"],
    )
    by_region = sorted(
        (_rates(v) | {"name": region_names.get(k, k)} for k, v in per_region.items()),
        key=lambda r: -r["total"],
    )
    labels = dict(Category.choices)
    by_category = [
        {"name": str(labels.get(k, k)), "total": v} for k, v in sorted(per_cat.items(), key=lambda kv: -kv[1])
    ]
    by_day = [
        {"day": r["day"].isoformat() if r["day"] else "", "total": r["total"], "answered": r["answered"]}
        for r in base.annotate(day=TruncDate("submitted_at", tzinfo=clock.SHANGHAI))
        .values("day")
        .annotate(total=Count("pk"), answered=Count("answered_at"))
        .order_by("day")
    ]
    return {
        "totals": _rates(totals),
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
MAX_LEDGER_ROWS = 50_000  # an export is one request: beyond this, narrow the period


def _fmt(value: datetime | None) -> str:
    if not value:
        return ""
    v = clock.localize(value)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}"


_LEDGER_FIELDS = (
    "number",
    "submitted_at",
    "channel",
    "region__name",
    "enterprise__name",
    "contact_name",
    "submitter_id",
    "submitter__display_name",
    "submitter__username",
    "contact_phone",
    "submitter__phone",
    "category",
    "text",
    "department__name",
    "status",
    "feedback_due",
    "feedback_at",
    "resolution_due",
    "answered_at",
    "answer",
    "rating",
    "rating_comment",
    "batch__number",
)


def ledger_rows(qs: QuerySet):
    """Rows for the ledger (phones masked: the ledger travels). Plain tuples straight from one
    joined query (no model instances), labels translated once per export."""
    from tongchou.appeals.models import Channel
    from tongchou.core.masking import mask_phone

    channels = {k: str(v) for k, v in Channel.choices}
    categories = {k: str(v) for k, v in Category.choices}
    statuses = {str(k.value): str(v) for k, v in STATUS_LABELS.items()}
    ratings = {str(k.value): str(v) for k, v in RATING_LABELS.items()}
    rows = qs.order_by("submitted_at", "pk").values_list(*_LEDGER_FIELDS)
    for (
        number,
        submitted_at,
        channel,
        region_name,
        enterprise_name,
        contact_name,
        submitter_id,
        submitter_display,
        submitter_username,
        contact_phone,
        submitter_phone,
        category,
        text,
        department_name,
        status,
        feedback_due,
        feedback_at,
        resolution_due,
        answered_at,
        answer,
        rating,
        rating_comment,
        batch_number,
    ) in rows[:MAX_LEDGER_ROWS].iterator(chunk_size=2000):
        in_time = ""
        if feedback_at:
            in_time = "是" if feedback_due and feedback_at <= feedback_due else "否"
        phone = contact_phone or (submitter_phone if submitter_id else "")
        yield [
            number,
            _fmt(submitted_at),
            channels.get(channel, channel),
            region_name,
            enterprise_name or "",
            contact_name or ((submitter_display or submitter_username) if submitter_id else ""),
            mask_phone(phone),
            categories.get(category, category),
            text,
            department_name or "",
            statuses[status],
            _fmt(feedback_due),
            _fmt(feedback_at),
            in_time,
            _fmt(resolution_due),
            _fmt(answered_at),
            answer,
            ratings[rating] if rating else "",
            rating_comment,
            f"第{batch_number}批" if batch_number is not None else "",
        ]


LEDGER_WIDTHS = [20, 17, 12, 10, 24, 10, 14, 14, 60, 24, 8, 17, 17, 10, 17, 17, 40, 10, 24, 10]


def ledger_workbook(qs: QuerySet, *, title: str = "诉求台账"):
    """The 台账 as a streaming workbook (``.save(fileobj)``): bounded memory for large ledgers, and a
    direct XML writer instead of openpyxl's per-cell objects (see xlsx.py)."""
    from tongchou.appeals.xlsx import TextSheetWorkbook

    def rows():
        n = 0
        for row in ledger_rows(qs):
            n += 1
            yield row
        if n >= MAX_LEDGER_ROWS:
            yield [f"仅导出前 {MAX_LEDGER_ROWS} 条，请缩小时间范围或按类别分别导出。"]

    return TextSheetWorkbook(title=title, header=LEDGER_HEADERS, rows=rows(), widths=LEDGER_WIDTHS)
