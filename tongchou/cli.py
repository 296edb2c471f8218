"""The ``tongchou`` command: one entry point for the platform's own subcommands and Django's.

Subcommands are Django management commands living in the apps (``<app>/management/commands``),
so the CLI, the web views and the API all call the same services.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

INTRO = """统筹平台 Tongchou — 命令行

用法: tongchou <子命令> [选项]      tongchou <子命令> --help 查看子命令说明

平台命令:
"""
OUTRO = """
数据库与管理:
  migrate         创建/升级数据库结构（serve 和 demo 启动时会自动执行）
  createsuperuser 创建系统管理员账号
  check           检查配置（含平台自定义检查；加 --database default 另查参考数据与明年节假日）
  shell / dbshell 进入 Python / 数据库命令行

全部 Django 管理命令（如 createsuperuser、shell、dbshell、showmigrations）同样可用：tongchou help --django

环境变量: TONGCHOU_HOME（数据目录，默认 ./var）, DATABASE_URL（默认 SQLite）, DEBUG, SECRET_KEY
"""


def _our_commands() -> list[tuple[str, str]]:
    from django.core.management import get_commands

    rows = []
    for name, app in sorted(get_commands().items()):
        if not app.startswith("tongchou"):
            continue
        try:
            cmd = import_module(f"{app}.management.commands.{name}").Command
            help_text = (cmd.help or "").strip().splitlines()[0] if cmd.help else ""
        except Exception as exc:  # a broken command must not break --help
            help_text = f"(无法加载: {exc})"
        rows.append((name, help_text))
    return rows


def print_help() -> None:
    rows = _our_commands()
    width = max((len(n) for n, _ in rows), default=10) + 2
    out = [INTRO] + [f"  {name.ljust(width)}{text}" for name, text in rows] + [OUTRO]
    sys.stdout.write("\n".join(out))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in {"-h", "--help"} or argv == ["help"]:
        print_help()
        return
    if argv[:2] == ["help", "--django"]:
        execute_from_command_line(["tongchou", "help"])
        return
    execute_from_command_line(["tongchou", *argv])


if __name__ == "__main__":
    main()
