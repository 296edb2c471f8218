from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "tongchou.appeals"
    label = "appeals"
    verbose_name = "诉求办理"
