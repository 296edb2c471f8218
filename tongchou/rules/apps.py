from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "tongchou.rules"
    label = "rules"
    verbose_name = "政策找人"
    # The published specs and the facts snapshot (selectors.py) are process caches that clear
    # themselves on rule-version saves and on core.signals.enterprise_data_changed.
