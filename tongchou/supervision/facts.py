"""Facts the supervision app supplies (collected by the facts app at start-up).

``key_enterprise`` says an enterprise is on at least one key-enterprise list (重点企业名单) on a date;
the service network writes it whenever a list changes, so other modules (the daily report's "all key
enterprises must report", financing batches) can select key enterprises with a rule condition
(``key_enterprise = TRUE``) instead of importing this app.
"""

from __future__ import annotations

from tongchou.facts.registry import Fact, FactType

FACTS = [
    Fact(
        "key_enterprise",
        FactType.BOOL,
        "重点企业",
        "在至少一份重点企业名单上（省重点、部门包联、规上、外资、防疫物资生产等）",
        "督查室 / 各牵头部门",
        aliases=("是否重点企业",),
    ),
]
