from django.apps import AppConfig


class FactsConfig(AppConfig):
    """Facts about enterprises: the registry, dated storage, department data imports."""

    name = "tongchou.facts"
    label = "facts"
    verbose_name = "企业事实"

    def ready(self) -> None:
        from django.apps import apps

        from tongchou.facts import checks  # noqa: F401 - registers the system check
        from tongchou.facts.registry import discover

        # every installed app may declare facts in its own facts.py: FACTS = [Fact(...), …]
        discover(f"{config.name}.facts" for config in apps.get_app_configs() if config.name != self.name)
