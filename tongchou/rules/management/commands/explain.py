"""``tongchou explain --uscc X --as-of DATE`` — what one enterprise may enjoy, and why."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError


def _value(fv: dict) -> str:
    from tongchou.rules.templatetags.rules_tags import fact_value

    return fact_value(fv.get("value"), fv.get("name") or "")


def render(data: dict) -> str:
    from tongchou.rules.engine import BENEFIT_KINDS

    lines = [f"{data['name']}（{data['uscc']}） 截至 {data['as_of']}", ""]
    lines.append(f"我可享受的政策（{len(data['eligible'])} 项，现金合计 {data['total_amount']:,.2f} 元）")
    for t in data["eligible"]:
        if t["amount_yuan"] is not None:
            amount = f"{t['amount_yuan']:,.2f} 元"
        elif t["benefit_value"] is not None:
            amount = f"{BENEFIT_KINDS[t['benefit_kind']]} {t['benefit_value']:,.2f} 元"
        else:
            amount = t["benefit_description"] or BENEFIT_KINDS[t["benefit_kind"]]
        lines.append(
            f"  ✔ {t['name']} [{t['rule_id']} v{t['rule_version']}，措施 {t['measure_id']}]：{amount}"
        )
        for c in t["conditions"]:
            own = "，".join(f"{f['label']} {_value(f)}" for f in c["facts"])
            lines.append(f"      · {c['label']}（{own}）")
        if t["delivery"] == "automatic":
            lines.append("      下一步：免申即享，请在平台“我可享受的政策”中确认")
        else:
            lines.append(f"      下一步：申请，材料：{'、'.join(t['materials'])}")
    lines.append("")
    lines.append(f"差一点（{len(data['near_misses'])} 项）")
    for t in data["near_misses"]:
        lines.append(f"  ✘ {t['name']} [{t['rule_id']}]：{t['explanation']}")
    lines.append("")
    lines.append(f"需补充（{len(data['missing'])} 项数据）")
    for m in data["missing"]:
        lines.append(f"  ? {m['label']}（{m['name']}）：影响 {'、'.join(m['rules'])}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "解释一户企业可享受的政策：符合的（金额与理由）、差一点的、需补充的数据。"

    def add_arguments(self, parser):
        parser.add_argument("--uscc", required=True, help="统一社会信用代码")
        parser.add_argument("--as-of", required=True, help="数据截止日期 YYYY-MM-DD")
        parser.add_argument("--json", dest="as_json", action="store_true", help="输出 JSON")

    def handle(self, *args, uscc: str, as_of: str, as_json: bool = False, **opts):
        from tongchou.enterprises.models import Enterprise
        from tongchou.rules.selectors import explain_enterprise

        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"日期“{as_of}”格式不对，应为 YYYY-MM-DD") from None
        ent = Enterprise.objects.filter(uscc=uscc.strip().upper()).first()
        if ent is None:
            raise CommandError(f"企业库中没有统一社会信用代码为“{uscc}”的企业")
        data = explain_enterprise(ent, day)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(render(data))
