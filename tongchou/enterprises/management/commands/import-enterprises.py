"""``tongchou import-enterprises FILE [--source S] [--as-of DATE]``: the same service as the import page."""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tongchou.core import tables
from tongchou.core.errors import TongchouError
from tongchou.enterprises.importing import ImportRefused, enterprises_import


class Command(BaseCommand):
    help = (
        "从 Excel/CSV 导入企业名录（有任何错误行则整体不导入，并列出行号、列和原因） / "
        "Import the enterprise registry from .xlsx/.csv (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 或 .csv 文件")
        parser.add_argument("--source", default="", help="附加数据列的来源（默认：企业名录导入）")
        parser.add_argument("--as-of", help="附加数据列的数据日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **opts):
        as_of = None
        if opts["as_of"]:
            try:
                as_of = dt.date.fromisoformat(opts["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of 日期格式应为 YYYY-MM-DD：{opts['as_of']}", returncode=2) from exc
        try:
            report = enterprises_import(
                source=opts["file"], fact_source=opts["source"], as_of=as_of, limits=tables.CLI_LIMITS
            )
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{opts['file']}", returncode=2) from exc
        except ImportRefused as exc:
            sys.stderr.write(exc.message + "\n")
            for e in exc.detail or []:
                sys.stderr.write(f"第{e['row']}行 [{e['column']}] {e['value']}: {e['message']}\n")
            raise SystemExit(1) from exc
        except TongchouError as exc:  # unreadable, too large, wrong type
            raise CommandError(exc.message) from None
        out = report.as_dict()
        out.pop("errors")
        self.stdout.write(json.dumps(out, ensure_ascii=False))
