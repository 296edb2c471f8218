"""Appeal figures per department, region and period, and the Excel ledger (台账).

Figures follow the permission policy's scope (permissions.visible_appeals / visible_day_stats):

- response rate (响应率): share of orders whose first contact came on or before the feedback deadline;
- resolution rate (解决率): share of orders answered;
- satisfaction rate (满意率): 满意 + 基本满意 over rated orders;
- overdue: open orders past their feedback or resolution deadline now;
- average hours to first contact and to answer.
Merged duplicates are left out (the surviving order counts once).

A whole year is ≈ 1M orders, too many to scan per page view, so the counters come from the daily
table (``AppealDayStat``, kept by stats.refresh()) for every day whose orders are all counted there,
and live from the orders for the days that have an order changed since (``stats_dirty``). The
result is the same as counting everything live, refreshed or not. Overdue depends on the clock and is
always counted live (open orders only: few).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, TruncDate

from tongchou.appeals.models import Appeal, AppealDayStat, Category
from tongchou.appeals.states import OPEN_STATUSES, RATING_LABELS, STATUS_LABELS, Rating, Status
from tongchou.core import clock

MICROS_PER_HOUR = 3_600_000_000


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = clock.SHANGHAI
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=tz
    )


def in_period(qs: QuerySet, start: date, end: date) -> QuerySet:
    lo, hi = period_bounds(start, end)
    return qs.filter(submitted_at__gte=lo, submitted_at__lt=hi).exclude(status=Status.MERGED)


def day_runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days merged into (first, last) runs, so "these days" is a few range conditions
    (index-friendly, and no giant IN list when a year of days is dirty).

    >>> day_runs([date(2020, 3, 2), date(2020, 3, 1), date(2020, 3, 5)])
    [(datetime.date(2020, 3, 1), datetime.date(2020, 3, 2)), (datetime.date(2020, 3, 5), datetime.date(2020, 3, 5))]
    """
    runs: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def submitted_on(days: Iterable[date]) -> Q:
    """Orders submitted on one of these local (Asia/Shanghai) days; matches nothing for no days."""
    q = Q(pk__in=[])
    for first, last in day_runs(days):
        lo, hi = period_bounds(first, last)
        q |= Q(submitted_at__gte=lo, submitted_at__lt=hi)
    return q


def stat_days(days: Iterable[date]) -> Q:
    """The daily table's rows of these days (same runs as :func:`submitted_on`)."""
    q = Q(pk__in=[])
    for first, last in day_runs(days):
        q |= Q(day__gte=first, day__lte=last)
    return q


def local_day() -> TruncDate:
    """The local submission day, as figures group it (and as migration 0003's statistics expect)."""
    return TruncDate("submitted_at", tzinfo=clock.SHANGHAI)


def _duration(later: str) -> Any:
    return ExpressionWrapper(F(later) - F("submitted_at"), output_field=DurationField())


def micros(value: Any) -> int:
    """A summed duration as whole microseconds: timedelta (PostgreSQL) or microseconds (SQLite).

    Sums are kept as integers so that adding them up per day, per cell or in any order gives the
    same total: the daily table and the live count must agree to the last digit of the averages.
    """
    if value is None:
        return 0
    if isinstance(value, timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    return round(value)


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
# what the daily table stores per (day, department, region, category): every counter but overdue
STORED_COUNTERS = tuple(k for k in COUNTERS if k != "overdue")
SUMS = ("sum_feedback", "sum_answer")  # durations, summed in microseconds
STORED_SUMS = {"sum_feedback": "sum_feedback_hours", "sum_answer": "sum_answer_hours"}


def cell_aggregates() -> dict[str, Any]:
    """The counters and duration sums of a group of orders — what the daily table stores, and what
    the live count computes for the days the table does not cover. One definition for both."""
    return {
        "total": Count("pk"),
        "feedback_in_time": Count(
            "pk", filter=Q(feedback_at__isnull=False, feedback_at__lte=F("feedback_due"))
        ),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "rated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
        "n_feedback": Count("feedback_at"),
        "n_answer": Count("answered_at"),
        "sum_feedback": Sum(
            _duration("feedback_at"), filter=Q(feedback_at__isnull=False), output_field=DurationField()
        ),
        "sum_answer": Sum(
            _duration("answered_at"), filter=Q(answered_at__isnull=False), output_field=DurationField()
        ),
    }


def overdue_filter(now: datetime) -> Q:
    """Open and past a deadline at *now*: never stored, since it changes with the clock alone."""
    return Q(status__in=list(OPEN_STATUSES)) & (
        Q(feedback_at__isnull=True, feedback_due__lt=now)
        | Q(answered_at__isnull=True, resolution_due__lt=now)
    )


class _RoundFloat(Func):
    """ROUND(double) as the databases have it. Django's Round goes through numeric(1000, 15) on
    PostgreSQL: 2.5× slower over a year's rows (280 ms instead of 110 ms at 490,000 rows)."""

    function = "ROUND"
    output_field = FloatField()


def _stored_aggregates() -> dict[str, Any]:
    """Sums of the daily table's rows; hours go back to whole microseconds per row before adding
    (stats.py stores microseconds / 3.6e9, which round-trips exactly), so the sum is exact."""
    out: dict[str, Any] = {k: Sum(k) for k in STORED_COUNTERS}
    for key, column in STORED_SUMS.items():
        out[key] = Sum(
            Cast(
                _RoundFloat(F(column) * Value(MICROS_PER_HOUR, output_field=FloatField())),
                output_field=BigIntegerField(),
            )
        )
    return out


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    total = row["total"] or 0
    out = {k: row.get(k) or 0 for k in COUNTERS}
    out["response_rate"] = round(100 * row["feedback_in_time"] / total, 1) if total else None
    out["resolution_rate"] = round(100 * row["answered"] / total, 1) if total else None
    out["satisfaction_rate"] = round(100 * row["satisfied"] / row["rated"], 1) if row["rated"] else None
    out["avg_feedback_hours"] = (
        round(row["sum_feedback"] / MICROS_PER_HOUR / row["n_feedback"], 1) if row["n_feedback"] else None
    )
    out["avg_answer_hours"] = (
        round(row["sum_answer"] / MICROS_PER_HOUR / row["n_answer"], 1) if row["n_answer"] else None
    )
    return out


def _add(acc: dict[str, int], row: dict[str, Any]) -> None:
    for k in COUNTERS:
        acc[k] = acc.get(k, 0) + int(row.get(k) or 0)
    for k in SUMS:
        acc[k] = acc.get(k, 0) + micros(row.get(k))


def dirty_days(start: date, end: date) -> set[date]:
    """Local days of the period with an order changed since the last refresh (partial index).

    Deliberately not limited to the user's scope: a changed order may have left it (transferred to
    another department, returned to the dispatcher) while the table still counts it in its old cell,
    so any dirty order makes its whole day live for everyone.
    """
    lo, hi = period_bounds(start, end)
    return set(
        Appeal.objects.filter(stats_dirty=True, submitted_at__gte=lo, submitted_at__lt=hi)
        .annotate(day=local_day())
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )


def figures(user: Any, start: date, end: date, *, now: datetime | None = None) -> dict[str, Any]:
    """Totals, per department, per region, per category and per day for the period, in *user*'s
    scope.

    Cells (department, region, category) and days come from the daily table for clean days and from
    two grouped scans of the orders for dirty days; overdue from one scan of the open orders.
    A scope the table cannot express (an enterprise's own orders) is counted live throughout.
    """
    from tongchou.appeals.permissions import visible_appeals, visible_day_stats
    from tongchou.regions.models import Department, Region

    now = now or clock.now()
    orders = in_period(visible_appeals(user, Appeal.objects.order_by()), start, end)
    table = visible_day_stats(user, AppealDayStat.objects.order_by())
    if table is None:
        live = orders
        stored = AppealDayStat.objects.none()
    else:
        dirty = dirty_days(start, end)
        live = orders.filter(submitted_on(dirty))
        stored = table.filter(day__gte=start, day__lte=end).exclude(stat_days(dirty))
    cells = [
        *live.values("department_id", "region_id", "category").annotate(**cell_aggregates()),
        *stored.values("department_id", "region_id", "category").annotate(**_stored_aggregates()),
        *orders.filter(overdue_filter(now))
        .values("department_id", "region_id")
        .annotate(overdue=Count("pk")),
    ]
    totals: dict[str, int] = {k: 0 for k in (*COUNTERS, *SUMS)}
    per_dept: dict[Any, dict[str, int]] = {}
    per_region: dict[Any, dict[str, int]] = {}
    per_cat: dict[str, int] = {}
    for cell in cells:
        _add(totals, cell)
        _add(per_dept.setdefault(cell["department_id"], {}), cell)
        _add(per_region.setdefault(cell["region_id"], {}), cell)
        if "category" in cell:
            per_cat[cell["category"]] = per_cat.get(cell["category"], 0) + int(cell["total"])
    dept_names = dict(Department.objects.filter(pk__in=[k for k in per_dept if k]).values_list("pk", "name"))
    region_names = dict(Region.objects.filter(pk__in=list(per_region)).values_list("pk", "name"))
    by_department = sorted(
        (
            _rates(v) | {"name": dept_names.get(k, "（待分办）") if k else "（待分办）"}
            for k, v in per_dept.items()
        ),
        key=lambda r: (-r["total"], r["name"]),
    )
    by_region = sorted(
        (_rates(v) | {"name": region_names.get(k, k)} for k, v in per_region.items()),
        key=lambda r: (-r["total"], r["name"]),
    )
    labels = dict(Category.choices)
    by_category = sorted(
        ({"name": str(labels.get(k, k)), "total": v} for k, v in per_cat.items()),
        key=lambda r: (-r["total"], r["name"]),
    )
    days: dict[date, dict[str, int]] = {}
    for r in [
        *live.annotate(day=local_day())
        .values("day")
        .annotate(total=Count("pk"), answered=Count("answered_at")),
        *stored.values("day").annotate(total=Sum("total"), answered=Sum("answered")),
    ]:
        acc = days.setdefault(r["day"], {"total": 0, "answered": 0})
        acc["total"] += int(r["total"])
        acc["answered"] += int(r["answered"])
    by_day = [{"day": d.isoformat(), **v} for d, v in sorted(days.items())]
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
