from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand

from tongchou.appeals import stats


class Command(BaseCommand):
    help = (
        "更新诉求统计日表（统计分析页按日汇总的计数；后台任务每次检查时也会更新）"
        " / Refresh the appeals figures' daily table (the worker also does it each tick)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="全部重算：按全部诉求重新生成日表（首次填充或修复时使用）/ recount every day",
        )

    def handle(self, *args, rebuild: bool, **options):
        t0 = time.perf_counter()
        days = stats.refresh(rebuild=rebuild)
        if rebuild:
            stats.vacuum()
        seconds = round(time.perf_counter() - t0, 2)
        self.stdout.write(
            json.dumps({"days": days, "rebuild": rebuild, "seconds": seconds}, ensure_ascii=False)
        )
