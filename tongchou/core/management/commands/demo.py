from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tongchou.core.demo import demo_accounts_if_enabled, run_demo_steps


class Command(BaseCommand):
    help = "建立演示数据（参考数据、演示账号、企业、政策文件、规则与匹配结果、诉求）并启动平台。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")

    def handle(self, *args, host: str, port: int, no_serve: bool, **options):
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
