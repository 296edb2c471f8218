from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "tongchou.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tongchou.workdays.models import WorkdayOverride
        from tongchou.workdays.services import clear_cache

        post_save.connect(clear_cache, sender=WorkdayOverride, dispatch_uid="workdays_clear_cache_save")
        post_delete.connect(clear_cache, sender=WorkdayOverride, dispatch_uid="workdays_clear_cache_delete")
