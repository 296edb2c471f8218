"""``tongchou run-matching`` — the scheduled matching worker on its own (also started by serve)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "定时比对：按设定间隔对全部企业运行比对并推送新增政策，结束到期公示（--once 只运行一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行一次后退出")
        parser.add_argument("--interval", type=int, default=None, help="间隔秒数（默认取设置，24小时）")

    def handle(self, *args, once: bool, interval: int | None, **opts):
        from tongchou.rules import tasks

        if once:
            self.stdout.write(tasks.tick())
            return
        tasks.loop(interval=interval, out=self.stdout)
