"""Demo step of the policy library: the seed policy documents."""

from __future__ import annotations

from typing import Any


def step_policies(stdout: Any) -> str:
    """The seed policy documents, when the folder beside the project (or TONGCHOU_SEEDS) exists."""
    from django.conf import settings

    from tongchou.policies.services import seed_documents_ingest

    docs = seed_documents_ingest(settings.SEEDS_DIR)
    if not docs:
        return f"政策文件：未找到 {settings.SEEDS_DIR}，跳过（可设置 TONGCHOU_SEEDS 指向政策文件目录）"
    measures = sum(d.measures.count() for d in docs)
    return f"政策文件 {len(docs)} 份，措施 {measures} 条"
