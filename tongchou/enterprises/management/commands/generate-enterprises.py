"""``tongchou generate-enterprises --count N --region CODE --seed S (--output FILE | --load)``."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongchou.enterprises.generate import generate_frame, write_frame


class Command(BaseCommand):
    help = (
        "生成合成市场主体数据（个体工商户为主、微小型为主、分区县行业差异、信用代码有效），写入文件或数据库 / "
        "Generate synthetic enterprises to .csv/.xlsx/.parquet, or --load them into the database."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="条数")
        parser.add_argument("--region", default="370300", help="区划代码（默认 370300 淄博市）")
        parser.add_argument("--seed", type=int, default=0, help="随机种子：相同种子生成相同数据")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--output", help="输出文件 .csv / .xlsx / .parquet")
        target.add_argument("--load", action="store_true", help="直接导入数据库（按信用代码更新）")
        parser.add_argument("--chinese-headers", action="store_true", help="使用导入模板的中文表头")

    def handle(self, *args, **opts):
        if opts["count"] <= 0:
            raise CommandError("--count 必须大于 0", returncode=2)
        started = time.perf_counter()
        try:
            df = generate_frame(opts["count"], opts["region"], opts["seed"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        gen_s = time.perf_counter() - started
        if opts["output"]:
            path = Path(opts["output"])
            try:
                write_frame(df, path, chinese_headers=opts["chinese_headers"])
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            summary = {
                "rows": df.height,
                "output": str(path),
                "seconds": round(time.perf_counter() - started, 2),
            }
        else:
            from tongchou.core.tables import CLI_LIMITS
            from tongchou.enterprises.importing import enterprises_import

            with tempfile.TemporaryDirectory() as tmp:
                csv_path = Path(tmp) / "generated.csv"
                write_frame(df, csv_path)
                report = enterprises_import(
                    source=csv_path, filename=csv_path.name, fact_source="合成数据", limits=CLI_LIMITS
                )
            summary = {
                "rows": df.height,
                "created": report.created,
                "updated": report.updated,
                "facts_written": report.facts_written,
                "seconds": round(time.perf_counter() - started, 2),
            }
        summary["generate_seconds"] = round(gen_s, 2)
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
