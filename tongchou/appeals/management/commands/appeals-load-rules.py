from django.core.management.base import BaseCommand

from tongchou.appeals.routing_db import clear_router_cache
from tongchou.appeals.rules_loader import load_routing_rules


class Command(BaseCommand):
    help = "载入默认分办关键词规则（只补充缺少的，不覆盖管理员修改）/ Load default routing keywords."

    def handle(self, *args, **options):
        n = load_routing_rules()
        clear_router_cache()
        self.stdout.write(f"新增分办关键词 {n} 条")
