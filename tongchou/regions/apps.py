from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "tongchou.regions"
    label = "regions"
    verbose_name = "行政区划与部门"

    def ready(self) -> None:
        from tongchou.regions import checks  # noqa: F401  (registers the reference-data check)
