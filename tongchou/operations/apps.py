from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tongchou.operations"
    label = "operations"
    verbose_name = "运行监测"
