from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from tongchou.appeals.worker import DEFAULT_INTERVAL, refresh_stats, run_forever, run_once


class Command(BaseCommand):
    help = (
        "诉求期限提醒与超期督办（24 小时前提醒承办人，超期督办部门负责人和指挥部），并更新统计日表"
        " / Appeal deadline worker (also refreshes the figures' daily table)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查一次后退出")
        parser.add_argument(
            "--interval", type=float, default=DEFAULT_INTERVAL, help="检查间隔秒数（默认 60）"
        )

    def handle(self, *args, once: bool, interval: float, **options):
        if once:
            counts = run_once()
            counts["stats_days"] = refresh_stats()
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
            return
        self.stdout.write(f"诉求期限检查已启动，每 {interval:g} 秒一次（Ctrl+C 停止）")
        self.stdout.flush()
        try:
            run_forever(interval)
        except KeyboardInterrupt:
            pass
