from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongchou.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from tongchou.core import checks  # noqa: F401  (registers system checks)
