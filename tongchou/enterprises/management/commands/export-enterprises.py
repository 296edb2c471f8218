"""``tongchou export-enterprises --output FILE.xlsx [--region CODE] [--section X] [--size-class S] [--kind K] [-q TEXT]``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from tongchou.enterprises import exporting, selectors
from tongchou.enterprises.models import Enterprise


class Command(BaseCommand):
    help = "导出企业名录到 Excel（联系电话脱敏） / Export the (filtered) enterprise registry to .xlsx, phones masked."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="输出 .xlsx 文件")
        parser.add_argument("--region", default="")
        parser.add_argument("--section", default="")
        parser.add_argument("--size-class", default="")
        parser.add_argument("--kind", default="")
        parser.add_argument("-q", default="", help="名称或信用代码")

    def handle(self, *args, **opts):
        filters = selectors.EnterpriseFilters.from_mapping(
            {k: opts[k] for k in ("region", "section", "size_class", "kind", "q")}
        )
        qs = Enterprise.objects.all()
        qs = selectors.apply_filters(qs, filters)
        Path(opts["output"]).write_bytes(exporting.export_rows(selectors.export_dicts(qs), mask=True))
        self.stdout.write(f"已导出 {qs.count()} 户到 {opts['output']}")
