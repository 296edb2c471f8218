from django.apps import AppConfig


class FinancingConfig(AppConfig):
    name = "tongchou.financing"
    label = "financing"
    verbose_name = "银企对接"
