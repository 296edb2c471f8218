"""``tongchou run-matching`` — the scheduled matching jobs on their own (also run by serve and worker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "定时比对：结束到期公示，并按设定间隔（默认 24 小时）对全部企业运行比对、推送新增政策；"
        "只运行这两项后台任务（--once 立即运行一次）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="立即运行一次后退出")
        parser.add_argument("--interval", type=int, default=None, help="检查间隔秒数（默认每小时检查一次）")

    def handle(self, *args, once: bool, interval: int | None, **opts):
        from tongchou.core.scheduler import Scheduler
        from tongchou.rules import tasks

        scheduler = Scheduler(tasks.JOBS)
        if interval:
            scheduler = scheduler.with_interval(interval)
        if once:
            texts = []
            for name in ("rules.publicity", "rules.matching"):
                r = scheduler.run_job(name)
                if r.error:
                    raise CommandError(f"{r.job.label}失败：{r.error}")
                texts.append(r.text)
            self.stdout.write("；".join(texts))
            return
        self.stdout.write("定时比对已启动（Ctrl+C 停止）")
        self.stdout.flush()
        try:
            scheduler.run_forever()
        except KeyboardInterrupt:
            pass
