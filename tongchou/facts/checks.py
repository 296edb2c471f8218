"""System checks of the fact registry (run at start-up and by `tongchou check`)."""

from __future__ import annotations

from django.core.checks import Error, register


@register()
def fact_declarations(app_configs=None, **kwargs) -> list[Error]:
    """facts.E001: a derivation names an undeclared fact, derivations form a circle, or a
    derivation function cannot be imported."""
    from tongchou.facts.registry import default_registry

    return [Error(p, id="facts.E001") for p in default_registry().problems()]
