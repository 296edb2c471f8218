"""``tongchou rules load DIR | run --as-of DATE | list`` — rules in the database and match runs."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tongchou.core.errors import TongchouError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "政策兑现规则：load 目录 = 把 YAML 规则载入数据库（幂等，改动成为新版本）；run = 运行一次比对；list = 列出规则。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="载入 YAML 规则目录或文件（已发布的规则改动后成为新版本）")
        load.add_argument("path", help="规则目录或 YAML 文件，如 tongchou/rules/pack")
        load.add_argument("--draft", action="store_true", help="只载入为草稿，不发布")
        run = sub.add_parser("run", help="对全部企业运行一次比对，保存结果并推送新增政策")
        run.add_argument("--as-of", required=True, help="数据截止日期 YYYY-MM-DD")
        run.add_argument(
            "--engine", choices=["duckdb", "postgres"], default="duckdb", help="比对引擎（默认 duckdb）"
        )
        run.add_argument("--no-push", action="store_true", help="不向企业推送通知")
        sub.add_parser("list", help="列出规则及其版本")

    def handle(self, *args, action: str, **opts):
        from tongchou.rules import services

        try:
            if action == "load":
                counts = services.rules_load(path=opts["path"], publish=not opts["draft"])
                self.stdout.write(
                    f"已载入：新规则 {counts['created']} 条，新版本 {counts['new_version']} 条，未变 {counts['unchanged']} 条"
                )
            elif action == "run":
                run = services.match_run(
                    as_of=_date(opts["as_of"]), trigger="cli", engine=opts["engine"], push=not opts["no_push"]
                )
                self.stdout.write(
                    f"比对运行 #{run.pk}（截至 {run.as_of}，{run.engine}）：规则 {run.rules} 条，企业 {run.enterprises} 户；"
                    f"符合 {run.eligible}，需补充 {run.unknown}，差一点 {run.near_misses}；新增符合 {run.new_eligible}，"
                    f"推送企业 {run.notified} 户；测算金额 {run.total_amount:,.2f} 元；用时 {run.seconds} 秒"
                )
            else:
                from tongchou.rules.selectors import rules_overview

                for item in rules_overview():
                    cur = item["current"]
                    versions = "、".join(f"v{v.number}({v.get_status_display()})" for v in item["versions"])
                    self.stdout.write(f"{item['rule'].id:<45} {cur.name}  [{versions}]")
        except TongchouError as err:
            raise CommandError(err.message) from None
