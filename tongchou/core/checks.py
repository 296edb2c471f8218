"""System checks for configuration mistakes, run at start-up and in CI."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def check_senders(app_configs, **kwargs):
    errors = []
    for path in settings.TONGCHOU_SENDERS:
        try:
            import_string(path)
        except ImportError:
            errors.append(
                Error(
                    f"通知发送器 {path} 无法导入", hint="检查 TONGCHOU_SENDERS 环境变量。", id="tongchou.E001"
                )
            )
    return errors
