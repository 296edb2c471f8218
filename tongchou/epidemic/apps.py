from django.apps import AppConfig


class EpidemicConfig(AppConfig):
    name = "tongchou.epidemic"
    label = "epidemic"
    verbose_name = "疫情防控"
