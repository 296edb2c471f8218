"""System check of the reference data (id tongchou.W010): after the reference-data migration has run,
the divisions, departments and industries must not be empty (appeals cannot be routed, enterprises
cannot be imported without them). Runs with the database checks (`tongchou check --database
default`, and before `migrate`)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder

REFERENCE_MIGRATION = ("regions", "0002_load_reference_data")


@register(Tags.database)
def check_reference_data(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Warning]:
    from django.apps import apps

    problems = []
    for alias in databases or ():
        try:
            applied = MigrationRecorder(connections[alias]).applied_migrations()
            if REFERENCE_MIGRATION not in applied:
                continue  # a fresh database: migrate loads the data
            for label, name in (
                ("regions.Region", "行政区划"),
                ("regions.Department", "政府部门"),
                ("enterprises.Industry", "国民经济行业分类"),
            ):
                if not apps.get_model(label).objects.using(alias).exists():
                    problems.append(
                        Warning(
                            f"参考数据“{name}”为空（数据库 {alias}）。",
                            hint="运行 tongchou load-reference 载入随软件提供的参考数据。",
                            obj=label,
                            id="tongchou.W010",
                        )
                    )
        except DatabaseError:
            continue
    return problems
