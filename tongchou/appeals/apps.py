from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "tongchou.appeals"
    label = "appeals"
    verbose_name = "诉求办理"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from tongchou.appeals import stats
        from tongchou.appeals.models import Appeal

        # (the routers in routing_db.py and the deadline policies in services.py are core.cache
        # process caches that clear themselves when their models change)
        # the figures' daily table: the two changes an order's dirty flag cannot carry (stats.py)
        pre_save.connect(stats.remember_old_day, sender=Appeal, dispatch_uid="appeals_stats_old_day")
        post_save.connect(stats.recount_left_day, sender=Appeal, dispatch_uid="appeals_stats_left_day")
        post_delete.connect(stats.recount_deleted_day, sender=Appeal, dispatch_uid="appeals_stats_deleted")
