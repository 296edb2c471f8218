"""``tongchou size-class --industry CODE [--employees N] [--revenue WAN] [--assets WAN]``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from tongchou.enterprises.size_class import SizeClassError, classify


class Command(BaseCommand):
    help = (
        "按《统计上大中小微型企业划分办法（2017）》判定企业规模，输出 JSON / "
        "Size class (large|medium|small|micro) per the 2017 statistical standard."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--industry", required=True, help="行业代码 GB/T 4754-2017，如 C3562、F52、K7010")
        parser.add_argument("--employees", help="从业人员（人）")
        parser.add_argument("--revenue", help="营业收入（万元）")
        parser.add_argument("--assets", help="资产总额（万元）")

    def handle(self, *args, **opts):
        try:
            result = classify(
                opts["industry"],
                employees=opts["employees"],
                revenue_wan=opts["revenue"],
                assets_wan=opts["assets"],
            )
        except SizeClassError as exc:
            self.stderr.write(exc.message)
            raise SystemExit(2) from exc
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
