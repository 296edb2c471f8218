from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "tongchou.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from tongchou.workdays import checks  # noqa: F401  (registers the holiday-calendar check)
