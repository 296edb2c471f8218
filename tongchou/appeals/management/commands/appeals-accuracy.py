from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from tongchou.appeals.routing import labelled_appeals, normalise_department_name


class Command(BaseCommand):
    help = "用标注集评估分办准确率（数据库中的部门、关键词与政策措施）/ Routing accuracy on the labelled appeals."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="370306", help="区划代码（默认 370306 周村区）")
        parser.add_argument("--misses", action="store_true", help="列出分错的诉求")

    def handle(self, *args, region: str, misses: bool, **options):
        from tongchou.appeals.routing_db import clear_router_cache, router_for_region, routing_departments
        from tongchou.regions.models import Region

        reg = Region.objects.filter(code=region).first()
        if reg is None:
            raise CommandError(f"区划代码“{region}”不存在")
        clear_router_cache()
        router = router_for_region(reg)
        names = {}
        for d in routing_departments(reg):
            for n in [d.name, d.short_name, *(d.aliases or [])]:
                if n:
                    names[normalise_department_name(n)] = d.name
        rows = labelled_appeals()
        top1 = top3 = cat = 0
        wrong = []
        for row in rows:
            result = router.route(row["text"])
            want = names.get(normalise_department_name(row["department"]), row["department"])
            got = [c.department for c in result.candidates[:3]]
            top1 += got[:1] == [want]
            top3 += want in got
            cat += result.category == row["category"]
            if got[:1] != [want]:
                wrong.append({"text": row["text"], "want": want, "got": got})
        n = len(rows)
        with_measures = sum(1 for p in router.departments if p.measure_texts)
        out = {
            "n": n,
            "top1": round(top1 / n, 3),
            "top3": round(top3 / n, 3),
            "category": round(cat / n, 3),
            "departments": len(router.departments),
            "departments_with_measures": with_measures,
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False))
        if misses:
            for w in wrong:
                self.stdout.write(json.dumps(w, ensure_ascii=False))
