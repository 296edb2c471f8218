from django.core.management.base import BaseCommand

from tongchou.regions.reference import load_reference_data


class Command(BaseCommand):
    help = "载入/更新内置参考数据（行政区划、政府部门、国民经济行业分类）；已有数据只补不删。"

    def handle(self, *args, **options):
        counts = load_reference_data()
        self.stdout.write(
            f"行政区划 {counts['regions']} 条，政府部门 {counts['departments']} 条，行业 {counts['industries']} 条。"
        )
