from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The home page, the command centre and the navigation, composed from what the apps provide
    (``core.providers``; the providers are listed in ``settings.TONGCHOU_DASHBOARD_PROVIDERS``)."""

    name = "tongchou.dashboard"
    label = "dashboard"
    verbose_name = "首页与指挥中心"
