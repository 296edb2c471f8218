"""Ledger and figures pages with 1,000,000 appeals stored (issue 5).

    .venv/bin/python bench/appeals_pages_bench.py [--rows 1000000] [--db URL] [--keep]

Bulk-generates the orders in PostgreSQL with one INSERT … SELECT over generate_series (a year of
submissions spread over Zibo's districts and Zhoucun's departments, with realistic shares of
answered / rated / overdue orders), ANALYZEs, then times each page in-process through Django's test
client as a city leader (370300) and as an administrator: median and max of 5 requests after one
warm-up. Re-running reuses the generated rows unless their count differs.

The figures' daily table (stats.py): times the first fill when the orders were just generated (every
order dirty), a full ``--rebuild``, and a typical worker tick (``--tick-orders`` orders of the last
ten days changed, as in a busy minute); the figures pages are timed from the table, with those
orders changed but not yet refreshed (their days counted live), and fully live as before the table
(``visible_day_stats`` patched to None: the previous code's queries). Every row carries the 1-minute
load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument(
        "--db",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tongchou_bench_pages"
        ),
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tick-orders", type=int, default=50, help="orders changed before a typical tick")
    args = ap.parse_args()

    import psycopg

    name = args.db.rsplit("/", 1)[1]
    with psycopg.connect(args.db.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": args.db,
        "TONGCHOU_HOME": str(REPO / "var" / "bench"),
        "LOG_LEVEL": "ERROR",
    }
    subprocess.run([sys.executable, "-m", "tongchou", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from tongchou.accounts.models import User
    from tongchou.appeals.models import Appeal

    have = Appeal.objects.count()
    generated = have != args.rows
    if generated:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                "TRUNCATE appeals_appeal, appeals_appealevent, appeals_escalation, appeals_attachment CASCADE"
            )
            cur.execute("SELECT array_agg(id ORDER BY id) FROM regions_department WHERE region_id = '370306'")
            depts = cur.fetchone()[0]
            cur.execute(
                """
                INSERT INTO appeals_appeal (
                  number, channel, client, idempotency_key, external_id, contact_name, contact_phone,
                  region_id, category, title, text, address, measure_ids, department_id, status, routing,
                  submitted_at, dispatched_at, feedback_at, answered_at, closed_at, feedback_due, resolution_due,
                  answer, rating, rating_comment, rated_at, reopen_count, media_url, stats_dirty)
                SELECT
                  'ZB' || to_char(t, 'YYYYMMDD') || '-' || lpad(g::text, 7, '0'),
                  (ARRAY['web','public','hotline','open311'])[1 + mod(g, 4)], 'bench', '', '', '联系人' || (mod(g, 997)), '139' || lpad((mod(g, 100000000))::text, 8, '0'),
                  (ARRAY['370306','370306','370306','370302','370303','370304','370305','370321'])[1 + mod(g, 8)],
                  (ARRAY['logistics','financing','labour','supply_chain','policy','tax','social_insurance','land_approval','epidemic','market','other'])[1 + mod(g, 11)],
                  '', '压测诉求 ' || g || '：货车在检查站被劝返，资金周转困难，请协调', '', '[]'::jsonb,
                  (%s::bigint[])[1 + mod(g, %s)],
                  CASE WHEN mod(g, 10) < 6 THEN 'closed' WHEN mod(g, 10) < 8 THEN 'answered' WHEN mod(g, 10) < 9 THEN 'accepted' ELSE 'dispatched' END,
                  '{}'::jsonb,
                  t, t + interval '1 hour',
                  CASE WHEN mod(g, 10) < 9 THEN t + make_interval(hours => 2 + mod(g, 70)) END,
                  CASE WHEN mod(g, 10) < 8 THEN t + make_interval(hours => 30 + mod(g, 200)) END,
                  CASE WHEN mod(g, 10) < 6 THEN t + make_interval(hours => 240) END,
                  t + interval '2 days', t + interval '7 days',
                  CASE WHEN mod(g, 10) < 8 THEN '已协调解决' ELSE '' END,
                  CASE WHEN mod(g, 10) < 6 THEN (ARRAY['satisfied','satisfied','basically_satisfied','dissatisfied'])[1 + mod(g, 4)] ELSE '' END,
                  '', CASE WHEN mod(g, 10) < 6 THEN t + interval '10 days' END, 0, '', true
                FROM (SELECT g, now() - make_interval(secs => (g::double precision * 31536000 / %s)) AS t
                      FROM generate_series(1, %s) AS g) s
                """,
                [depts, len(depts), args.rows, args.rows],
            )
            cur.execute(
                "UPDATE appeals_appeal SET status = 'submitted', department_id = NULL, feedback_at = NULL, answered_at = NULL WHERE mod(id, 50) = 0"
            )
            cur.execute("ANALYZE appeals_appeal")
        print(json.dumps({"generated": args.rows, "seconds": round(time.perf_counter() - t0, 1)}))

    from tongchou.appeals import permissions, stats

    def load() -> float:
        return round(os.getloadavg()[0], 1)

    def timed_refresh(label: str, **kw) -> None:
        t = time.perf_counter()
        days = stats.refresh(**kw)
        print(
            json.dumps(
                {
                    "stats": label,
                    "days": days,
                    "seconds": round(time.perf_counter() - t, 2),
                    "load_1min": load(),
                }
            )
        )

    if generated or Appeal.objects.filter(stats_dirty=True).count() > 100_000:
        from tongchou.appeals.worker import STATS_BATCH

        timed_refresh("first fill (every order dirty), as the worker's first tick", batch=STATS_BATCH)
    timed_refresh("rebuild (--rebuild)", rebuild=True)
    stats.vacuum()  # as tongchou appeals-stats --rebuild does after the rebuild
    # the first fill rewrote every order once (its flag); autovacuum would reclaim the old versions
    # (it is off on the bench machine's server), and a read of a year would otherwise visit 2M rows
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) appeals_appeal")
    timed_refresh("tick with nothing changed")

    leader, _ = User.objects.get_or_create(
        username="bench_leader", defaults={"role": "leader", "region_id": "370300"}
    )
    admin, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"role": "admin", "is_superuser": True, "is_staff": True}
    )
    from tongchou.regions.models import Department

    dept = Department.objects.filter(region_id="370306").order_by("id").first()
    staff, _ = User.objects.get_or_create(
        username="bench_dept", defaults={"role": "department", "department": dept}
    )
    year_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 365 * 86400))
    figures_pages = [
        ("figures (whole year, leader)", leader, f"/appeals/figures/?start={year_ago}"),
        ("figures (whole year, admin)", admin, f"/appeals/figures/?start={year_ago}"),
        ("figures (whole year, department)", staff, f"/appeals/figures/?start={year_ago}"),
        ("figures (30 days, leader)", leader, "/appeals/figures/"),
        ("figures (30 days, admin)", admin, "/appeals/figures/"),
        ("figures (30 days, department)", staff, "/appeals/figures/"),
    ]
    other_pages = [
        ("ledger (30 days, leader)", leader, "/appeals/ledger/"),
        ("ledger page 200 (30 days, leader)", leader, "/appeals/ledger/?page=200"),
        ("ledger (whole year, admin)", admin, f"/appeals/ledger/?start={year_ago}"),
        ("appeal list (leader)", leader, "/appeals/"),
        ("appeal list, open only (department)", staff, "/appeals/?status=open"),
    ]
    results = []

    def time_pages(pages, mode: str) -> None:
        for label, user, url in pages:
            c = Client()
            c.force_login(user)
            r = c.get(url)
            assert r.status_code == 200, (url, r.status_code)
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                r = c.get(url)
                times.append(1000 * (time.perf_counter() - t))
            results.append(
                {
                    "page": label,
                    "mode": mode,
                    "median_ms": round(statistics.median(times), 1),
                    "max_ms": round(max(times), 1),
                    "load_1min": load(),
                }
            )
            print(json.dumps(results[-1], ensure_ascii=False))

    time_pages(figures_pages, "table (refreshed)")
    # a busy minute: some orders of the last ten days change; their days are counted live until the tick
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE appeals_appeal SET stats_dirty = true WHERE id IN (SELECT id FROM appeals_appeal"
            " WHERE submitted_at > now() - interval '10 days' ORDER BY random() LIMIT %s)",
            [args.tick_orders],
        )
    from tongchou.core import clock

    dirty_days = len(
        {
            clock.localize(d).date()
            for d in Appeal.objects.filter(stats_dirty=True).values_list("submitted_at", flat=True)
        }
    )
    print(json.dumps({"changed_orders": args.tick_orders, "days_with_changes": dirty_days}))
    time_pages(figures_pages[:1] + figures_pages[3:4], f"table + {args.tick_orders} changed orders live")
    timed_refresh(f"typical tick ({args.tick_orders} changed orders)")
    # as before the table: every day counted live from the orders
    real = permissions.visible_day_stats
    permissions.visible_day_stats = lambda user, qs: None
    try:
        time_pages(figures_pages, "live (as before the table)")
    finally:
        permissions.visible_day_stats = real
    time_pages(other_pages, "orders")
    # the Excel ledger for one week, for scale
    c = Client()
    c.force_login(leader)
    week_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 6 * 86400))
    times = []
    for _ in range(1 + min(args.runs, 3)):  # the first (cold) call is reported separately
        t = time.perf_counter()
        r = c.get(f"/appeals/ledger.xlsx?start={week_ago}")
        times.append(1000 * (time.perf_counter() - t))
    print(
        json.dumps(
            {
                "page": "ledger.xlsx (7 days, leader)",
                "first_ms": round(times[0], 1),
                "median_ms": round(statistics.median(times[1:]), 1),
                "bytes": len(r.content),
            },
            ensure_ascii=False,
        )
    )
    print(json.dumps({"load_1min": round(os.getloadavg()[0], 1)}))
    print(json.dumps({"rows": Appeal.objects.count()}))


if __name__ == "__main__":
    main()
