from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "tongchou.regions"
    label = "regions"
    verbose_name = "行政区划与部门"
