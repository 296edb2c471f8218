from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongchou.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.conf import settings

        from tongchou.core import (
            checks,  # noqa: F401  (registers system checks)
            clock,
        )

        clock.load_demo_clock(settings.TONGCHOU_HOME)
