"""`tongchou parse FILE [--slug S]`: print one document as JSON. Never touches the database."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tongchou.policies.parsing import ParseError, parse_file


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

    def handle(self, *args, **options):
        try:
            doc = parse_file(options["file"], slug=options["slug"])
        except ParseError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        out = json.dumps(doc.as_json(), ensure_ascii=False, indent=2)
        sys.stdout.write(out + "\n")
