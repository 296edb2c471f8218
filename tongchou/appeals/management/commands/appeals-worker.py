from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from tongchou.appeals.worker import DEFAULT_INTERVAL, JOBS
from tongchou.core.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "诉求期限提醒与超期督办（24 小时前提醒承办人，超期督办部门负责人和指挥部），并更新统计日表；"
        "只运行诉求的两项后台任务（tongchou worker 运行全部任务）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="立即运行一次后退出（输出各类提醒与督办件数）"
        )
        parser.add_argument(
            "--interval", type=float, default=DEFAULT_INTERVAL, help="检查间隔秒数（默认 60）"
        )

    def handle(self, *args, once: bool, interval: float, **options):
        scheduler = Scheduler(JOBS).with_interval(interval)
        if once:
            deadlines = scheduler.run_job("appeals.deadlines")
            figures = scheduler.run_job("appeals.stats")
            for r in (deadlines, figures):
                if r.error:
                    raise CommandError(f"{r.job.label}失败：{r.error}")
                if not r.ran:
                    raise CommandError(f"{r.job.label}：{r.text}")
            counts = dict(deadlines.value)
            counts["stats_days"] = figures.value
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
            return
        self.stdout.write(f"诉求期限检查已启动，每 {interval:g} 秒一次（Ctrl+C 停止）")
        self.stdout.flush()
        try:
            scheduler.run_forever()
        except KeyboardInterrupt:
            pass
