from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "tongchou.policies"
    label = "policies"
    verbose_name = "政策库"
