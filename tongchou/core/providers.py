"""What each app provides to the platform's shell: tiles and panels for the home page and the command
centre, and entries of the navigation.

A provider is a module, listed in ``settings.TONGCHOU_DASHBOARD_PROVIDERS`` (dotted module paths, in
the order the apps are listed), that defines any of:

- ``NAV: Sequence[NavEntry]`` — the app's sections in the top navigation, with the roles that see them;
- ``tiles(ctx: DashboardContext) -> Iterable[Tile]`` — figures for this user (already scoped);
- ``panels(ctx: DashboardContext) -> Iterable[Panel]`` — tables (with an optional chart) for the
  command centre;
- ``measure_outcomes(measure_ids: Sequence[str]) -> Iterable[MeasureOutcome]`` — what the app knows
  about the delivery of policy measures (``Measure.measure_id`` such as ``zhoucun-2020-8/13``):
  benefits matched and paid under a measure's rules, appeals citing it, loans subsidised, projects
  under it. The supervision ledger pre-fills progress reports with these, so reports carry outcome
  figures and supervision imports no other module.

The composer (the ``dashboard`` app) imports no domain app: it reads this list. A new module adds a
tile by writing ``<app>/dashboard.py`` and one line in the setting. Tiles and panels are sorted by
``order`` across apps (ties keep the setting's order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

HOME = "home"
COMMAND = "command"
EVERYONE = frozenset({"*"})  # a NavEntry for every role, the public included


@dataclass(frozen=True)
class Tile:
    """One figure: ``value`` ``unit`` under ``label``, linking to ``url`` (the list it counts).

    ``tone`` is ``""``, ``"ok"`` (good news), ``"warn"`` (needs attention) or ``"alert"``.
    """

    label: str
    value: Any
    unit: str
    url: str
    hint: str = ""
    tone: str = ""
    order: int = 100
    key: str = ""


@dataclass(frozen=True)
class Panel:
    """A table for the command centre, optionally drawn as a chart (an ECharts option dict). The table
    is always shown: it is the chart's text alternative."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    order: int = 100
    chart: dict[str, Any] | None = None
    url: str = ""
    hint: str = ""
    key: str = ""


@dataclass(frozen=True)
class MeasureOutcome:
    """One figure about a measure's delivery, from the app that holds it: ``value`` ``unit`` under
    ``label`` (e.g. 已拨付 12 户 / 86.5 万元), as of now, linking to the list behind it."""

    measure_id: str
    label: str
    value: Any
    unit: str
    url: str = ""
    source: str = ""  # the app's Chinese name, e.g. 政策兑现


@dataclass(frozen=True)
class NavEntry:
    """A section of the top navigation: ``url_name`` reversed without arguments, shown to ``roles``
    (role strings from ``accounts.roles``, ``"anonymous"`` for the public; ``EVERYONE`` for all).
    ``footer`` also links it from the page footer."""

    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100
    footer: bool = False

    def shown_to(self, role: str) -> bool:
        return self.roles is EVERYONE or "*" in self.roles or role in self.roles


@dataclass(frozen=True)
class DashboardContext:
    """Who is looking, where, and on which page.

    On the command centre ``region`` is the region being looked at — the user's own, or a
    drill-down the composer has checked to lie in the user's scope — and ``subregions`` the regions
    one level below it (for breakdowns). On the home page ``region`` is ``None`` (the user's whole
    scope) and there are no subregions. Querysets from the owning app's selectors are already
    scoped to the user; ``narrow()`` restricts them to ``region``.
    """

    user: Any
    role: str
    page: str = HOME
    region: Any = None
    subregions: tuple[Any, ...] = ()

    def narrow(self, queryset: Any, field: str = "region") -> Any:
        """Restrict an already user-scoped queryset to the drill-down region's subtree."""
        if self.region is None:
            return queryset
        return queryset.filter(**{f"{field}__code__startswith": self.region.prefix})


def provider_modules() -> list[ModuleType]:
    """The provider modules in the setting's order."""
    return [import_module(path) for path in settings.TONGCHOU_DASHBOARD_PROVIDERS]


def nav_entries() -> list[NavEntry]:
    entries = [e for mod in provider_modules() for e in getattr(mod, "NAV", ())]
    return sorted(entries, key=lambda e: e.order)


def _collect(name: str, ctx: DashboardContext) -> list[Any]:
    out: list[Any] = []
    for mod in provider_modules():
        fn: Callable[[DashboardContext], Iterable[Any]] | None = getattr(mod, name, None)
        if fn is not None:
            out.extend(fn(ctx))
    return sorted(out, key=lambda item: item.order)


def tiles(ctx: DashboardContext) -> list[Tile]:
    return _collect("tiles", ctx)


def panels(ctx: DashboardContext) -> list[Panel]:
    return _collect("panels", ctx)


def measure_outcomes(measure_ids: Sequence[str]) -> list[MeasureOutcome]:
    """Every app's figures about these measures, in the providers' order."""
    out: list[MeasureOutcome] = []
    for mod in provider_modules():
        fn = getattr(mod, "measure_outcomes", None)
        if fn is not None:
            out.extend(fn(measure_ids))
    return out


def check_paths(paths: Sequence[str], *, modules: bool = False) -> list[tuple[str, str]]:
    """(path, error) for each dotted path that does not import: for the system checks."""
    problems = []
    for path in paths:
        try:
            import_module(path) if modules else import_string(path)
        except ImportError as exc:
            problems.append((path, str(exc)))
    return problems
