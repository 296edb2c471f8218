from __future__ import annotations

import json
import sys
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from tongchou.workdays.calendar import WorkdayCalendar


class Command(BaseCommand):
    help = "计算办理期限：第 N 个工作日的 23:59:59（提交当日不计） / Deadline of N working days."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="提交时间 YYYY-MM-DDTHH:MM")
        parser.add_argument("--working-days", type=int, required=True, help="工作日数 N")
        parser.add_argument("--no-db", action="store_true", help="不读取数据库中的工作日设置")

    def handle(self, *args, start: str, working_days: int, no_db: bool, **options):
        try:
            when = datetime.fromisoformat(start)
        except ValueError as exc:
            raise CommandError(f"--from 格式应为 YYYY-MM-DDTHH:MM，收到“{start}”") from exc
        if working_days < 0:
            raise CommandError("--working-days 不能为负数")
        overrides = {}
        if not no_db:
            from tongchou.workdays.services import overrides_from_db

            overrides = overrides_from_db()
        cal = WorkdayCalendar(overrides)
        try:
            due = cal.deadline(when.replace(tzinfo=None), working_days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"due": due.strftime("%Y-%m-%dT%H:%M:%S")}))
        if cal.guessed_years:
            years = "、".join(str(y) for y in sorted(cal.guessed_years))
            sys.stderr.write(f"注意：{years} 年没有节假日数据，也没有人工设置，按周一至周五工作推算。\n")
