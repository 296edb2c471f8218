from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "tongchou.rules"
    label = "rules"
    verbose_name = "政策找人"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tongchou.core.signals import enterprise_data_changed
        from tongchou.rules.models import RuleVersion
        from tongchou.rules.selectors import clear_caches

        enterprise_data_changed.connect(clear_caches, dispatch_uid="rules.clear_caches.data")
        post_save.connect(clear_caches, sender=RuleVersion, dispatch_uid="rules.clear_caches.save")
        post_delete.connect(clear_caches, sender=RuleVersion, dispatch_uid="rules.clear_caches.delete")
