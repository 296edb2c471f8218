"""Routing accuracy on the labelled appeals (top-1 / top-3 department, category).

Run: .venv/bin/python bench/appeals_routing_accuracy.py [--misses]
Pure keyword rules only (no database). With the policy library in the database, the Django-side
router also uses measure texts; `tongchou appeals-accuracy` measures that one.
"""

import json
import sys
import time

from tongchou.appeals.routing import (
    Router,
    default_categories,
    default_departments,
    evaluate,
    labelled_appeals,
)

t0 = time.perf_counter()
router = Router(default_departments(), default_categories())
report = evaluate(router, labelled_appeals())
elapsed = time.perf_counter() - t0
misses = report.pop("misses")
report["seconds"] = round(elapsed, 2)
print(json.dumps(report, ensure_ascii=False))
if "--misses" in sys.argv:
    for m in misses:
        print(json.dumps(m, ensure_ascii=False))
