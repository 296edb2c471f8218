from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tongchou.core import clock
from tongchou.core.demo import demo_accounts_if_enabled, run_demo_steps

# The seeds' period: Zibo's measures (28 Feb 2020) are in force, enterprises are resuming work,
# the first relief is being paid. Every module's demo data is dated around this day.
DEMO_DATE = dt.date(2020, 4, 15)


class Command(BaseCommand):
    help = "建立演示数据（参考数据、演示账号、企业、政策文件、规则与匹配结果、诉求）并启动平台。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument(
            "--date",
            default=DEMO_DATE.isoformat(),
            help=f"演示环境所处的日期（平台时钟从该日 9:00 起走），默认 {DEMO_DATE.isoformat()}，即政策文件所述时期",
        )

    def handle(self, *args, host: str, port: int, no_serve: bool, date: str, **options):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"日期“{date}”应写作 YYYY-MM-DD，例如 2020-04-15。") from None
        started = clock.start_demo_clock(settings.TONGCHOU_HOME, day)
        self.stdout.write(f"演示环境的平台日期：{started:%Y年%-m月%-d日 %H:%M}（时间从此向前走）")
        self.stdout.write("正在准备数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("正在载入演示数据：")
        run_demo_steps(self.stdout)
        self.stdout.write("\n演示账号（密码相同）：")
        for a in demo_accounts_if_enabled():
            self.stdout.write(
                f"  {a['role']:<8} 用户名 {a['username']:<16} 密码 {a['password']}   {a['who']}"
            )
        if no_serve:
            return
        self.stdout.write("")
        call_command("serve", host=host, port=port, no_migrate=True)
