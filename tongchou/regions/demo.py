"""Demo step of the regions app: the shipped reference data (also loaded by a data migration)."""

from __future__ import annotations

from typing import Any


def step_reference(stdout: Any) -> str:
    from tongchou.regions.reference import load_reference_data

    counts = load_reference_data()
    return f"参考数据：行政区划 {counts['regions']} 条，政府部门 {counts['departments']} 条，行业 {counts['industries']} 条"
