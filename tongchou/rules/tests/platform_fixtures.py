"""Fixtures and builders shared by the platform tests of the rules app (import with ``*``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

PACK = Path(__file__).resolve().parents[1] / "pack"
AS_OF = dt.date(2020, 4, 15)
FACTS_DAY = dt.date(2020, 3, 31)


def set_facts(enterprise, as_of: dt.date = FACTS_DAY, source: str = "区人力资源社会保障局", **facts) -> None:
    """Store dated facts for an enterprise (the storage convention of tongchou.facts.storage)."""
    from tongchou.facts.models import EnterpriseFact
    from tongchou.facts.registry import current
    from tongchou.facts.storage import to_storage

    for name, value in facts.items():
        num, text = to_storage(current()[name], value)
        EnterpriseFact.objects.update_or_create(
            enterprise=enterprise,
            name=name,
            as_of=as_of,
            defaults={"value_number": num, "value_text": text, "source": source},
        )


def load_population(frame, *, as_of: dt.date = FACTS_DAY) -> int:
    """Put a synthetic population (engine.synthetic.population) into the registry and facts tables."""
    from tongchou.enterprises.models import Enterprise, Industry
    from tongchou.facts.models import EnterpriseFact
    from tongchou.facts.registry import current
    from tongchou.facts.selectors import IDENTITY
    from tongchou.facts.selectors import REGISTRY_COLUMNS as REGISTRY
    from tongchou.facts.storage import to_storage
    from tongchou.regions.models import Region

    registry = current()

    regions = set(Region.objects.values_list("code", flat=True))
    industries = set(Industry.objects.values_list("code", flat=True))
    rows = frame.to_dicts()
    ents = []
    for r in rows:
        region = r.get("region_code") if r.get("region_code") in regions else "370306"
        code = r.get("industry_code")
        industry = next((c for c in (code, (code or "")[:3], (code or "")[:1]) if c in industries), None)
        ents.append(
            Enterprise(
                uscc=r["uscc"],
                name=r["name"],
                region_id=region,
                industry_id=industry,
                kind=r.get("kind") or "enterprise",
                employees=int(r["employees"]) if r.get("employees") is not None else None,
                revenue_wan=r.get("revenue_wan"),
                assets_wan=r.get("assets_wan"),
                registered_on=r.get("registered_on"),
                size_class=r.get("size_class") or "",
            )  # fmt: skip
        )
    Enterprise.objects.bulk_create(ents, batch_size=1000)
    ids = dict(Enterprise.objects.filter(uscc__in=[r["uscc"] for r in rows]).values_list("uscc", "id"))
    facts = []
    for r in rows:
        for name, value in r.items():
            if value is None or name in IDENTITY or name in REGISTRY and name not in (
                "above_designated_size", "foreign_invested", "exporter", "high_tech",
            ) or name not in registry:  # fmt: skip
                continue
            num, text = to_storage(registry[name], value)
            facts.append(
                EnterpriseFact(
                    enterprise_id=ids[r["uscc"]], name=name, value_number=num, value_text=text, as_of=as_of
                )
            )
    EnterpriseFact.objects.bulk_create(facts, batch_size=2000)
    return len(ents)
