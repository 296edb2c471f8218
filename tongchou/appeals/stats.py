"""The figures' daily table (``AppealDayStat``): one row per local submission day and (department,
region, category) cell, holding what figures.cell_aggregates() counts for those orders.

Why a dirty flag and a recount, not deltas. Keeping counters by adding and subtracting in every
writer needs the old and the new state of every counted field in each of them (the services, bulk
``.update()`` calls, the admin, the demo) and drifts for good after one mistake. Instead every write
marks its order (``Appeal.save()`` sets ``stats_dirty``), and :func:`refresh` recounts the whole
day of each marked order from the orders themselves. The figures page counts a day live while it has
a marked order, and reads the table otherwise, so it is exact whether or not a refresh has run, and
a refresh repairs whatever the table held for the days it recounts.

The invariant: for every day with no dirty order, the table's rows for that day are the aggregate of
that day's orders. Two ways of changing a day escape the flag — deleting an order and moving its
submission time to another day — because the old day keeps no marked order; the signal receivers at
the end recount the old day in the writer's own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from tongchou.appeals.figures import (
    MICROS_PER_HOUR,
    STORED_COUNTERS,
    STORED_SUMS,
    cell_aggregates,
    local_day,
    stat_days,
    submitted_on,
)
from tongchou.appeals.models import Appeal, AppealDayStat
from tongchou.appeals.states import Status
from tongchou.core import clock


def _lock_table() -> None:
    """Serialise refreshes (and the recounts of the signal receivers) on PostgreSQL.

    Two recounts of the same day running at once would each delete the rows they can see and insert
    their own: the second one's DELETE cannot see the first one's uncommitted INSERT, so the day
    would end up counted twice. SHARE ROW EXCLUSIVE conflicts with itself and with writers of the
    table but not with readers, so the figures page never waits. Taken before anything else, so the
    second refresh's statements all start after the first one committed. SQLite needs nothing:
    its transactions begin IMMEDIATE (settings), so writers are serialised already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"LOCK TABLE {AppealDayStat._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _claim_dirty(*, skip_locked: bool = True, limit: int | None = None) -> tuple[set[date], int]:
    """Clear the dirty flag of the orders marked now (the *limit* earliest submitted, if given);
    return the local days they were submitted on and how many orders.

    On PostgreSQL (READ COMMITTED) one statement both clears and reports:
    ``UPDATE … SET stats_dirty = false WHERE stats_dirty RETURNING submitted_at``. The rows it clears
    stay locked until we commit, so a writer that changes one of them meanwhile waits for us and
    marks it dirty again afterwards: the next refresh recounts it, and until then the figures count
    its day live. A writer to another row keeps its own flag for the next refresh. The recount that
    follows runs in the same transaction but in a later statement, so it sees every change
    committed before it — at least the state of every order we cleared; orders changed after our
    UPDATE are dirty again, so their days stay live.

    A tick (``skip_locked``) takes only the rows nobody holds locked (``WHERE id IN (SELECT … FOR
    UPDATE SKIP LOCKED)``): a row a writer holds right now is still dirty, or will be when that
    writer commits, so it is the next tick's — and the tick never waits for a writer, so it cannot
    deadlock with one that locks several orders (a merge, a batch). The rebuild waits instead: each
    row is then written once, not locked and then written (≈ 35 s instead of ≈ 50 s for a first
    fill of a million marked orders on the bench machine).

    SQLite: select the days then clear the flags, inside the IMMEDIATE transaction that already
    holds the write lock, so no writer can slip between the two statements.
    """
    table = Appeal._meta.db_table
    if connection.vendor == "postgresql":
        if skip_locked:
            order = "ORDER BY submitted_at LIMIT %s " if limit else ""
            where = f"id IN (SELECT id FROM {table} WHERE stats_dirty {order}FOR UPDATE SKIP LOCKED)"  # noqa: S608
        else:
            where = "stats_dirty"
        params = [limit] if skip_locked and limit else []
        with connection.cursor() as cur:
            cur.execute(
                f"""
                WITH claimed AS (
                  UPDATE {table} SET stats_dirty = false WHERE {where} RETURNING submitted_at)
                SELECT (submitted_at AT TIME ZONE %s)::date, count(*) FROM claimed GROUP BY 1
                """,  # noqa: S608 - table name from the model, values are parameters
                [*params, clock.SHANGHAI.key],
            )
            rows = cur.fetchall()
        return {day for day, _ in rows}, sum(n for _, n in rows)
    dirty = Appeal.objects.filter(stats_dirty=True).order_by()
    if limit:
        dirty = Appeal.objects.filter(pk__in=dirty.order_by("submitted_at").values("pk")[:limit]).order_by()
    days = set(dirty.annotate(day=local_day()).values_list("day", flat=True).distinct())
    return days, dirty.update(stats_dirty=False)


def _hours_sql(column: str) -> str:
    """A summed duration (interval on PostgreSQL, microseconds on SQLite) as hours. Stored as a
    float of microseconds / 3.6e9, which figures reads back to the exact microsecond."""
    if connection.vendor == "postgresql":
        return f"COALESCE(EXTRACT(EPOCH FROM sub.{column}) / 3600, 0)"
    return f"COALESCE(sub.{column} / {float(MICROS_PER_HOUR)}, 0)"


def _insert_days(orders: QuerySet) -> None:
    """One ``INSERT … SELECT`` of the grouped orders: the database does the whole recount, so a first
    rebuild over a million orders moves no row through Python. Inserted in day order, so that a
    period's rows sit together on disk (grouped by cell first, a month's rows were spread over every
    page of a year's table: 190 ms instead of a few ms to read them)."""
    cells = (
        orders.exclude(status=Status.MERGED)
        .order_by()
        .annotate(day=local_day())
        .values("day", "department_id", "region_id", "category")
        .annotate(**cell_aggregates())
    )
    select_sql, params = cells.query.sql_with_params()
    counters = ", ".join(STORED_COUNTERS)
    sums = ", ".join(STORED_SUMS.values())
    hours = ", ".join(_hours_sql(k) for k in STORED_SUMS)
    sql = (
        f"INSERT INTO {AppealDayStat._meta.db_table} "  # noqa: S608 - names from the models
        f"(day, department_id, region_id, category, {counters}, {sums}) "
        f"SELECT sub.day, sub.department_id, sub.region_id, sub.category, "
        f"{', '.join(f'sub.{c}' for c in STORED_COUNTERS)}, {hours} FROM ({select_sql}) sub "
        # a day's rows side by side on disk: the figures read a period's days, not the whole table
        "ORDER BY sub.day, sub.region_id, sub.department_id, sub.category"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _recount(days: Iterable[date] | None) -> None:
    """Delete the table's rows of these days (None: all) and insert them again from the orders."""
    orders = Appeal.objects.all()
    rows = AppealDayStat.objects.all()
    if days is not None:
        days = set(days)
        if not days:
            return
        orders = orders.filter(submitted_on(days))
        rows = rows.filter(stat_days(days))
    rows.delete()
    _insert_days(orders)


def refresh(*, rebuild: bool = False, batch: int | None = None) -> int:
    """Recount the days of the orders changed since the last refresh; return how many days.

    One transaction: lock the table against another refresh, clear the flags and collect the days
    (see _claim_dirty for why that is correct under concurrent writers), delete those days' rows,
    insert them again from one grouped query. ``rebuild`` recounts every day (as if every order were
    marked): the same table, built from nothing — for a first fill or after a manual repair. A
    second refresh with nothing changed in between recounts 0 days.

    ``batch`` (the worker's ticks) takes at most that many orders per transaction, earliest first,
    and repeats until fewer remain: a first fill of a million orders then never holds a writer
    waiting for the whole minute it takes. A day split between two batches is recounted twice;
    until the second, its unclaimed orders are still dirty, so the figures count it live.
    """
    if rebuild:
        with transaction.atomic():
            _lock_table()
            _claim_dirty(skip_locked=False)
            _recount(None)
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:  # the planner must know the new table's size
                    cur.execute(f"ANALYZE {AppealDayStat._meta.db_table}")
            return AppealDayStat.objects.values("day").distinct().count()
    recounted: set[date] = set()
    while True:
        with transaction.atomic():
            _lock_table()
            days, claimed = _claim_dirty(limit=batch)
            _recount(days)
        recounted |= days
        if not batch or claimed < batch:
            return len(recounted)


def vacuum() -> None:
    """After a rebuild on PostgreSQL: reclaim the old rows now rather than when autovacuum comes
    round (until then every read of a period also visits the deleted rows). Outside a transaction."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute(f"VACUUM (ANALYZE) {AppealDayStat._meta.db_table}")


def recount_days(days: Iterable[date]) -> None:
    """Recount these days now, in the caller's transaction (for changes the flag cannot carry)."""
    with transaction.atomic():
        _lock_table()
        _recount(days)


# --- changes the dirty flag cannot carry ------------------------------------------------------------


def _day_of(value: Any) -> date | None:
    return clock.localize(value).date() if value else None


def remember_old_day(
    sender: Any, instance: Appeal, raw: bool = False, update_fields: Any = None, **kw
) -> None:
    """pre_save: an existing order whose submission time is written may be leaving its day.

    The services never write ``submitted_at`` after the insert (they pass ``update_fields``), so the
    extra read happens only for full saves (the admin, the demo's back-dating).
    """
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "submitted_at" not in update_fields:
        return
    old = Appeal.objects.filter(pk=instance.pk).values_list("submitted_at", flat=True).first()
    old_day = _day_of(old)
    if old_day is not None and old_day != _day_of(instance.submitted_at):
        instance._stats_left_day = old_day


def recount_left_day(sender: Any, instance: Appeal, raw: bool = False, **kw) -> None:
    """post_save: the day an order moved away from has no dirty order left to mark it: recount."""
    day = instance.__dict__.pop("_stats_left_day", None)
    if day is not None and not raw:
        recount_days([day])


def recount_deleted_day(sender: Any, instance: Appeal, **kw) -> None:
    """post_delete: a deleted order leaves nothing dirty behind: recount its day."""
    day = _day_of(instance.submitted_at)
    if day is not None:
        recount_days([day])
