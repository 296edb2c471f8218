"""`tongchou parse FILE [--slug S]`: print one document as JSON. Never touches the database."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tongchou.policies.parsing import ParseError, parse_file
from tongchou.policies.parsing.units import departments_table
from tongchou.regions.reference import DEPARTMENTS_CSV


class Command(BaseCommand):
    help = "解析政策文件并输出 JSON（不访问数据库） / Parse a policy document to JSON (no database)"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="文件路径：.txt（UTF-8/GB18030/Big5）、.docx、.html 或带文字层的 .pdf"
        )
        parser.add_argument(
            "--slug", default=None, help="文档标识（默认由文号或文件名生成，如 zhoucun-2020-8）"
        )
        parser.add_argument(
            "--departments",
            action="store_true",
            help="按部门名录把牵头/配合单位换成正式名称（名录中没有的单位保持原文）；不加此项时单位均为原文",
        )
        parser.add_argument(
            "--departments-csv",
            default=str(DEPARTMENTS_CSV),
            metavar="CSV",
            help="部门名录文件（region_code,name,short_name,aliases），默认 regions/data/departments.csv",
        )

    def handle(self, *args, **options):
        departments = None
        if options["departments"]:
            try:
                departments = departments_table(options["departments_csv"])
            except (OSError, KeyError, ValueError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取部门名录：{options['departments_csv']}（{exc}）") from exc
        try:
            doc = parse_file(options["file"], slug=options["slug"], departments=departments)
        except ParseError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        out = json.dumps(doc.as_json(), ensure_ascii=False, indent=2)
        sys.stdout.write(out + "\n")
