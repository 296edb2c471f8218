from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "tongchou.rules"
    label = "rules"
    verbose_name = "政策找人"
