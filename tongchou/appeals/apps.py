from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "tongchou.appeals"
    label = "appeals"
    verbose_name = "诉求办理"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from tongchou.appeals import stats
        from tongchou.appeals.models import Appeal, DeadlinePolicy
        from tongchou.appeals.services import clear_deadline_cache

        # (the routers in routing_db.py are a core.cache process cache that clears itself when
        # keyword rules or departments change)
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                clear_deadline_cache, sender=DeadlinePolicy, dispatch_uid=f"appeals_deadline_{name}"
            )
        # the figures' daily table: the two changes an order's dirty flag cannot carry (stats.py)
        pre_save.connect(stats.remember_old_day, sender=Appeal, dispatch_uid="appeals_stats_old_day")
        post_save.connect(stats.recount_left_day, sender=Appeal, dispatch_uid="appeals_stats_left_day")
        post_delete.connect(stats.recount_deleted_day, sender=Appeal, dispatch_uid="appeals_stats_deleted")
