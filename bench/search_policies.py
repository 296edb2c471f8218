"""Search latency (p50/p95) and similar-measure latency on an already loaded database
(run bench/ingest_policies.py first; it prints the environment to use). Target: p95 < 50 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

QUERIES = [
    "稳岗返还",
    "贷款贴息",
    "社会保险费 减免",
    "失业保险",
    "医疗废物",
    "房租",
    "疫情防控 物资 储备",
    "税",
    "创业担保贷款",
    "复工复产",
    "出口信用保险",
    "消费券",
    "农资",
    "扶贫",
    "专项债券",
    "核酸检测",
    "职业技能培训",
    "应急转贷",
    "技术改造 补贴",
    "外商投资",
    "春耕",
    "冷链物流",
]
FILTERS = [
    {},
    {"region": "370306"},
    {"topic": "finance_credit"},
    {"lead_unit": "区财政局"},
    {"issuer": "济南"},
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from tongchou.policies import selectors
    from tongchou.policies.models import Measure

    n = Measure.objects.count()
    selectors.measure_search(q="预热")  # jieba dictionary load
    times = []
    cpu = []
    totals = []
    for _ in range(3):
        for q in QUERIES:
            for f in FILTERS:
                t0, c0 = time.perf_counter(), time.process_time()
                r = selectors.measure_search(q=q, limit=20, **f)
                _ = [h.snippet for h in r.hits]
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                totals.append(r.total)
    print(f"database: {connection.vendor}, {n} measures, {len(times)} searches")
    print(
        f"search: p50 {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms, max {max(times):.1f} ms "
        f"(median hits {statistics.median(totals):.0f}); load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"CPU time of this process per search (on SQLite it includes the database; a proxy for an idle "
        f"machine): p50 {statistics.median(cpu):.1f} ms, p95 {pct(cpu, 95):.1f} ms"
    )
    m = Measure.objects.order_by("pk").first()
    t0 = time.perf_counter()
    selectors.similar_measures(m)
    build = (time.perf_counter() - t0) * 1000
    sims = []
    for m in Measure.objects.order_by("?")[:60]:
        t0 = time.perf_counter()
        selectors.similar_measures(m)
        sims.append((time.perf_counter() - t0) * 1000)
    print(
        f"similar: first call (builds TF-IDF index) {build:.0f} ms; then p50 {statistics.median(sims):.1f} ms, "
        f"p95 {pct(sims, 95):.1f} ms"
    )


if __name__ == "__main__":
    main()
