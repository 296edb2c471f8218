from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

log = logging.getLogger("tongchou.serve")


def start_background_workers() -> list[threading.Thread]:
    """The one scheduler loop (core.scheduler) over every registered job, in a daemon thread."""
    from tongchou.core.scheduler import start_scheduler_thread

    return [start_scheduler_thread()]


def prepare_for_serving() -> None:
    """Do the first request's work before any request: import every view (URL resolver), run the
    apps' warm-ups (settings.TONGCHOU_SERVING_WARMUPS: jieba's dictionary, the default region's
    router — about a second), then freeze what is loaded out of the garbage collector.

    Without this the first requests of each serving process pay the imports, and every full
    collection walks the few hundred thousand objects Django, jieba and the views keep for the
    process's life: those pauses were the submission API's slowest percentile. Done in the parent
    before fork, the children also share those pages copy-on-write.
    """
    import gc

    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing every view is the point
    for path in getattr(settings, "TONGCHOU_SERVING_WARMUPS", ()):
        try:
            import_string(path)()
        except Exception:  # a warm-up is an optimisation: never stop the server for it
            log.exception("warm-up %s failed", path)
    connections.close_all()
    gc.collect()
    gc.freeze()


def _listening_socket(host: str, port: int) -> socket.socket:
    """One listening socket per serving process, all bound to the same address with SO_REUSEPORT:
    the kernel spreads incoming connections over the processes."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


class Command(BaseCommand):
    help = (
        "启动平台 Web 服务（waitress），并在本进程运行后台任务循环（诉求期限提醒与督办、定时比对等，"
        "见 tongchou worker --list）。--workers N（Linux）启动 N 个服务进程共享同一端口，"
        "后台任务循环只在主进程运行一份；多台服务器同时运行时每项任务也只运行一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="每个服务进程的工作线程数（默认 8）")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="服务进程数（默认 1；大于 1 时需 Linux 的 SO_REUSEPORT，一般取 CPU 核数）",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="不在本进程运行后台任务（另行运行 tongchou worker）"
        )
        parser.add_argument("--no-migrate", action="store_true", help="启动前不自动迁移数据库")

    def handle(
        self,
        *args,
        host: str,
        port: int,
        threads: int,
        workers: int,
        no_worker: bool,
        no_migrate: bool,
        **options,
    ):
        from waitress import serve

        from tongchou.wsgi import application

        if workers < 1:
            raise CommandError("--workers 至少为 1。")
        if workers > 1 and (not hasattr(os, "fork") or not hasattr(socket, "SO_REUSEPORT")):
            raise CommandError("--workers 大于 1 需要支持 fork 和 SO_REUSEPORT 的系统（Linux）。")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        prepare_for_serving()
        if workers == 1:
            if not no_worker:
                start_background_workers()
            self.stdout.write(f"统筹平台已启动：http://{host}:{port}/  （Ctrl+C 停止）")
            self.stdout.flush()
            serve(application, host=host, port=port, threads=threads, ident="tongchou", channel_timeout=120)
            return
        self._serve_forked(application, serve, host, port, threads, workers, no_worker)

    def _serve_forked(self, application, serve, host, port, threads, workers, no_worker) -> None:
        """The parent binds first (so a busy port fails at once), forks the serving processes, then
        runs the scheduler loop itself: one loop whatever N is. A serving process that
        dies is replaced; SIGTERM/SIGINT stop them all."""
        from django.db import connections

        _listening_socket(host, port).close()  # fail fast, in the parent, if the port is taken
        connections.close_all()  # never share a database connection across fork
        sys.stdout.flush()
        sys.stderr.flush()

        def spawn() -> int:
            pid = os.fork()
            if pid == 0:  # serving process
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                code = 0
                try:
                    serve(
                        application,
                        sockets=[_listening_socket(host, port)],
                        threads=threads,
                        ident="tongchou",
                        channel_timeout=120,
                    )
                except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
                    log.exception("serving process failed")
                    code = 1
                os._exit(code)
            return pid

        children = {spawn() for _ in range(workers)}
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            for pid in list(children):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if not no_worker:
            start_background_workers()
        self.stdout.write(f"统筹平台已启动：http://{host}:{port}/  （{workers} 个服务进程，Ctrl+C 停止）")
        self.stdout.flush()
        while children:
            try:
                pid, _status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            children.discard(pid)
            if not stopping:
                log.warning("serving process %s exited; starting another", pid)
                time.sleep(0.5)
                children.add(spawn())
