from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "tongchou.appeals"
    label = "appeals"
    verbose_name = "诉求办理"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from tongchou.appeals import stats
        from tongchou.appeals.models import Appeal, DeadlinePolicy, RoutingKeyword
        from tongchou.appeals.routing_db import clear_router_cache
        from tongchou.appeals.services import clear_deadline_cache
        from tongchou.regions.models import Department

        def _router_changed(*args, **kwargs) -> None:
            clear_router_cache()

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                clear_deadline_cache, sender=DeadlinePolicy, dispatch_uid=f"appeals_deadline_{name}"
            )
            signal.connect(
                _router_changed, sender=RoutingKeyword, dispatch_uid=f"appeals_router_{name}", weak=False
            )
            # the router holds the region's departments: a renamed, disabled or reloaded department
            # must not be routed to from a stale cache
            signal.connect(
                _router_changed, sender=Department, dispatch_uid=f"appeals_router_dept_{name}", weak=False
            )
        # the figures' daily table: the two changes an order's dirty flag cannot carry (stats.py)
        pre_save.connect(stats.remember_old_day, sender=Appeal, dispatch_uid="appeals_stats_old_day")
        post_save.connect(stats.recount_left_day, sender=Appeal, dispatch_uid="appeals_stats_left_day")
        post_delete.connect(stats.recount_deleted_day, sender=Appeal, dispatch_uid="appeals_stats_deleted")
