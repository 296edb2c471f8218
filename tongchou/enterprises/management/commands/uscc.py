"""``tongchou uscc CODE [CODE ...]``: one JSON object per line; exit 0 whether valid or not."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from tongchou.enterprises import refdata
from tongchou.enterprises.uscc import check


class Command(BaseCommand):
    help = (
        "校验统一社会信用代码（GB 32100-2015），每个代码输出一行 JSON / "
        "Check Unified Social Credit Codes; one JSON object per line ('-' reads codes from stdin)."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "codes", nargs="+", metavar="CODE", help="统一社会信用代码；'-' 表示从标准输入逐行读取"
        )

    def handle(self, *args, codes: list[str], **options):
        known = refdata.known_region_codes()  # the shipped CSV, not the database
        if codes == ["-"]:
            codes = [line.strip() for line in sys.stdin if line.strip()]
        for code in codes:
            self.stdout.write(json.dumps(check(code, known_region=known).as_dict(), ensure_ascii=False))
