"""``tongchou import-facts FILE --source 部门 --as-of DATE`` — a department's data file as dated facts."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tongchou.core import tables
from tongchou.core.errors import TongchouError


class Command(BaseCommand):
    help = (
        "导入部门数据文件（CSV/XLSX；列为 uscc 和事实名或其中文名，空格为无数据）为带日期的企业事实；"
        "整文件要么全部导入，要么不导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 或 XLSX 文件")
        parser.add_argument("--source", required=True, help="数据来源部门，如 区人力资源社会保障局")
        parser.add_argument("--as-of", required=True, help="数据日期 YYYY-MM-DD")

    def handle(self, *args, file: str, source: str, as_of: str, **opts):
        from tongchou.facts.services import facts_import

        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"日期“{as_of}”格式不对，应为 YYYY-MM-DD") from None
        try:
            record = facts_import(file=file, source=source, as_of=day, limits=tables.CLI_LIMITS)
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{file}") from None
        except TongchouError as err:
            details = err.detail if isinstance(err.detail, list) else []
            extra = "\n".join(f"  {d.get('message')}" for d in details[1:20])
            raise CommandError(err.message + (("\n" + extra) if extra else "")) from None
        self.stdout.write(
            f"已导入 {record.rows} 户企业的 {record.facts} 项数据（{source}，{as_of}）：{'、'.join(record.columns)}"
        )
