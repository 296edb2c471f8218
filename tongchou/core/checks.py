"""System checks for configuration that can be wrong, run at start-up (`tongchou check`, `serve`,
`migrate`) and in CI. Ids are stable; the full list, including the apps' own checks, is in
docs/ARCHITECTURE.md ("System checks").

| id | what |
|---|---|
| tongchou.E001 | a `TONGCHOU_SENDERS` path does not import |
| tongchou.E002 | `DATABASE_URL` cannot be parsed, or names an engine other than SQLite/PostgreSQL |
| tongchou.E003 | a `TONGCHOU_DEMO_STEPS` path does not import |
| tongchou.E004 | a `TONGCHOU_DASHBOARD_PROVIDERS` module does not import, or a NAV entry names no URL |
| tongchou.E005 | a `TONGCHOU_SCHEDULED_JOBS` / `TONGCHOU_SERVING_WARMUPS` / `TONGCHOU_ROLE_OF` / `TONGCHOU_WORKDAY_CALENDAR` path does not import, or two scheduled jobs share a name |
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.urls import NoReverseMatch, reverse

from tongchou.core.providers import check_paths

SUPPORTED_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


def _import_errors(setting: str, check_id: str, *, modules: bool = False, what: str) -> list[Error]:
    return [
        Error(
            f"{what} {path} 无法导入：{problem}",
            hint=f"检查 settings.{setting} 中的路径。",
            obj=setting,
            id=check_id,
        )
        for path, problem in check_paths(getattr(settings, setting), modules=modules)
    ]


@register()
def check_senders(app_configs: Any, **kwargs: Any) -> list[Error]:
    return [
        Error(
            f"通知发送器 {path} 无法导入：{problem}",
            hint="检查 TONGCHOU_SENDERS 环境变量（逗号分隔的发送器类路径）。",
            obj="TONGCHOU_SENDERS",
            id="tongchou.E001",
        )
        for path, problem in check_paths(settings.TONGCHOU_SENDERS)
    ]


@register()
def check_database_url(app_configs: Any, **kwargs: Any) -> list[Error]:
    problem = getattr(settings, "DATABASE_URL_ERROR", "")
    if problem:
        return [
            Error(
                problem if problem.startswith("不支持") else f"DATABASE_URL 无法解析：{problem}",
                hint="格式如 postgres://用户@主机:5432/库名 或 sqlite:////绝对路径/tongchou.sqlite3。",
                obj="DATABASE_URL",
                id="tongchou.E002",
            )
        ]
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in SUPPORTED_ENGINES:
        return [
            Error(
                f"不支持的数据库引擎 {engine}：平台只支持 SQLite 和 PostgreSQL。",
                hint="DATABASE_URL 以 sqlite:// 或 postgres:// 开头。",
                obj="DATABASE_URL",
                id="tongchou.E002",
            )
        ]
    return []


@register()
def check_demo_steps(app_configs: Any, **kwargs: Any) -> list[Error]:
    return _import_errors("TONGCHOU_DEMO_STEPS", "tongchou.E003", what="演示步骤")


@register()
def check_dashboard_providers(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = _import_errors(
        "TONGCHOU_DASHBOARD_PROVIDERS", "tongchou.E004", modules=True, what="首页与指挥中心的提供模块"
    )
    if errors:
        return errors
    from tongchou.core.providers import nav_entries

    for entry in nav_entries():
        try:
            reverse(entry.url_name)
        except NoReverseMatch:
            errors.append(
                Error(
                    f"导航项“{entry.label}”指向的地址 {entry.url_name} 不存在。",
                    hint="检查该应用 dashboard.py 中 NAV 的 url_name。",
                    obj=entry,
                    id="tongchou.E004",
                )
            )
    return errors


@register()
def check_background_paths(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = (
        _import_errors("TONGCHOU_SCHEDULED_JOBS", "tongchou.E005", what="后台任务列表")
        + _import_errors("TONGCHOU_SERVING_WARMUPS", "tongchou.E005", what="启动预热")
        + [
            Error(
                f"内核钩子 {path} 无法导入：{problem}",
                hint="检查 settings.TONGCHOU_ROLE_OF / TONGCHOU_WORKDAY_CALENDAR。",
                obj=path,
                id="tongchou.E005",
            )
            for path, problem in check_paths([settings.TONGCHOU_ROLE_OF, settings.TONGCHOU_WORKDAY_CALENDAR])
        ]
    )
    if errors:
        return errors
    from tongchou.core.scheduler import registered_jobs

    try:
        registered_jobs()
    except ValueError as exc:  # two jobs with one name
        return [Error(f"后台任务登记有误：{exc}", obj="TONGCHOU_SCHEDULED_JOBS", id="tongchou.E005")]
    return []
