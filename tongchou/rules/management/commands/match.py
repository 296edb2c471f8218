"""``tongchou match``: run the rule pack over an enterprises file, with no database."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from tongchou.rules.engine import (
    CompactResult,
    FactsError,
    RuleError,
    evaluate_compact,
    load_rules,
    read_enterprises,
)
from tongchou.rules.engine.output import COLUMNS, write_results

DEFAULT_RULES = Path(__file__).resolve().parents[2] / "pack"
CHUNK = 250_000
__all__ = ["COLUMNS", "Command"]


class Command(BaseCommand):
    help = (
        "政策找人：用规则包匹配企业数据文件（不需要数据库），输出符合或待补充数据的企业×规则 / "
        "Match a rule pack against an enterprises file (CSV/XLSX; columns = fact names, empty = missing)."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises", required=True, help="企业数据文件 .csv 或 .xlsx（列名为事实名，空格表示缺失）"
        )
        parser.add_argument("--as-of", required=True, dest="as_of", help="评估日期 YYYY-MM-DD")
        parser.add_argument("--rules", default=str(DEFAULT_RULES), help="规则目录（默认随附的规则包）")
        parser.add_argument("--output", required=True, help="输出文件 .csv 或 .jsonl")
        parser.add_argument(
            "--all", action="store_true", dest="all_rows", help="输出全部（含不符合）企业×规则结果"
        )

    def handle(self, *args, enterprises: str, as_of: str, rules: str, output: str, all_rows: bool, **options):
        try:
            as_of_date = dt.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"评估日期“{as_of}”格式不对，应为 YYYY-MM-DD") from None
        out_path = Path(output)
        if out_path.suffix.lower() not in (".csv", ".jsonl"):
            raise CommandError(f"输出文件类型“{out_path.suffix}”不支持，请使用 .csv 或 .jsonl")
        if not Path(rules).exists():
            raise CommandError(f"找不到规则目录：{rules}")
        try:
            specs = load_rules(rules)
            facts = read_enterprises(enterprises)
        except (RuleError, FactsError) as err:
            raise CommandError(str(err)) from None
        result = self._run(specs, facts, as_of_date, keep="all" if all_rows else "matched")
        order = {r.id: i for i, r in enumerate(specs)}
        bar = self._bar(result.height, "写出", "行")
        try:
            written = write_results(result, out_path, rule_order=order, progress=bar.update if bar else None)
        finally:
            if bar:
                bar.close()
        summary = result.status_counts()
        self.stdout.write(
            f"已评估 {facts.height} 家企业 × {len({r.id for r in specs})} 条规则，"
            f"输出 {written} 行到 {out_path}（符合 {summary.get('eligible', 0)}，"
            f"待补充 {summary.get('unknown', 0)}，不符合 {summary.get('ineligible', 0)}）"
        )

    @staticmethod
    def _bar(total: int, desc: str, unit: str):
        if not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, disable=False)

    def _run(self, specs, facts: pl.DataFrame, as_of: dt.date, *, keep: str) -> CompactResult:
        """The match in slices of CHUNK enterprises (for the progress bar), numbers only:
        words are rendered batch by batch while writing."""
        bar = self._bar(facts.height, "匹配", "企业")
        parts = []
        try:
            for start in range(0, max(facts.height, 1), CHUNK):
                chunk = facts.slice(start, CHUNK)
                parts.append(evaluate_compact(specs, chunk, as_of, keep=keep))
                if bar:
                    bar.update(chunk.height)
        finally:
            if bar:
                bar.close()
        return CompactResult.concat(parts)
