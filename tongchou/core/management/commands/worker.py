"""``tongchou worker`` — the background-job loop on its own (``tongchou serve`` also runs it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tongchou.core import clock


class Command(BaseCommand):
    help = (
        "运行后台任务循环（诉求期限提醒与督办、统计日表、结束到期公示、定时比对等各应用登记的任务）。"
        "可与 tongchou serve 及其他服务器同时运行：每项任务每次只由一个进程运行。"
        "--list 列出任务及上次运行情况；--once 运行一遍到期的任务后退出；--run 任务名 立即运行一项任务。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", dest="show_list", action="store_true", help="列出已登记的任务、计划、上次运行结果与错误"
        )
        parser.add_argument("--once", action="store_true", help="运行一遍当前到期的任务后退出")
        parser.add_argument("--run", metavar="任务名", help="立即运行这一项任务（不论计划）后退出")
        parser.add_argument("--only", metavar="任务名", action="append", help="只运行这些任务（可重复）")
        parser.add_argument("--poll", type=float, default=5.0, help="检查到期任务的间隔秒数（默认 5）")

    def handle(self, *args, show_list: bool, once: bool, run: str | None, only, poll: float, **options):
        from tongchou.core.scheduler import Scheduler, registered_jobs

        jobs = registered_jobs()
        if only:
            unknown = sorted(set(only) - {j.name for j in jobs})
            if unknown:
                raise CommandError(f"没有这些任务：{'、'.join(unknown)}（tongchou worker --list 查看）")
            jobs = [j for j in jobs if j.name in only]
        scheduler = Scheduler(jobs, poll=poll)
        if show_list:
            self._list(scheduler)
            return
        if run:
            if run not in {j.name for j in jobs}:
                raise CommandError(f"没有任务“{run}”（tongchou worker --list 查看）")
            r = scheduler.run_job(run)
            if r.error:
                raise CommandError(f"{r.job.label}失败：{r.error}")
            self.stdout.write(f"{r.job.label}：{r.text}")
            return
        if once:
            results = scheduler.run_pending()
            for r in results:
                self.stdout.write(f"{r.job.label}：{'失败：' + r.error if r.error else r.text}")
            if not results:
                self.stdout.write("没有到期的任务。")
            if any(r.error for r in results):
                raise CommandError("有任务失败，见上。")
            return
        self.stdout.write(f"后台任务已启动：{'、'.join(j.label for j in jobs)}（Ctrl+C 停止）")
        self.stdout.flush()
        try:
            scheduler.run_forever()
        except KeyboardInterrupt:
            pass

    def _list(self, scheduler) -> None:
        from tongchou.core.models import ScheduledJob

        scheduler.ensure_rows()
        rows = {r.name: r for r in ScheduledJob.objects.filter(name__in=[j.name for j in scheduler.jobs])}

        def when(value) -> str:
            return clock.localize(value).strftime("%Y-%m-%d %H:%M:%S") if value else "—"

        for job in scheduler.jobs:
            r = rows[job.name]
            self.stdout.write(f"{job.name}\t{job.label}\t{job.schedule_text}")
            self.stdout.write(f"  下次运行 {when(r.next_run_at)}；上次开始 {when(r.last_started_at)}")
            if r.last_duration_ms is not None:
                self.stdout.write(f"  上次用时 {r.last_duration_ms} 毫秒；结果：{r.last_result or '—'}")
            if r.failures:
                self.stdout.write(f"  连续失败 {r.failures} 次；最近错误（{when(r.last_error_at)}）：")
                self.stdout.write("    " + (r.last_error.strip().splitlines() or ["—"])[-1])
            if r.lease_owner:
                self.stdout.write(f"  正在由 {r.lease_owner} 运行（占用至 {when(r.lease_until)}）")
