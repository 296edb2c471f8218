from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

log = logging.getLogger("tongchou.serve")


def start_background_workers() -> list[threading.Thread]:
    threads = []
    for path in settings.TONGCHOU_BACKGROUND_WORKERS:
        threads.append(import_string(path)())
    return threads


class Command(BaseCommand):
    help = "启动平台 Web 服务（waitress），并启动后台任务（诉求期限提醒与督办等）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")
        parser.add_argument("--no-worker", action="store_true", help="不在本进程启动后台任务")
        parser.add_argument("--no-migrate", action="store_true", help="启动前不自动迁移数据库")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, no_migrate: bool, **options):
        from waitress import serve

        from tongchou.wsgi import application

        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not no_worker:
            start_background_workers()
        self.stdout.write(f"统筹平台已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="tongchou", channel_timeout=120)
