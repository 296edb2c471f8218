"""The fact registry: every name a rule, a page or an import may use for a fact about an enterprise.

Pure (no Django): the rules engine, `tongchou match` and the benches use it without a database.

* A :class:`Fact` declares a name (fixed: data files and rules use it), a type, a unit, a Chinese
  label, a description, the department that supplies it, choices for enums, aliases that import
  headers may use, and — for a fact computed from others — its :class:`Derivation`, declared once.
* A :class:`Derivation` is either an **expression** over other facts in the rule language (the
  engine computes it inside the one SQL query on DuckDB and PostgreSQL, and the tracer evaluates
  the same tree, so both agree; when such a fact is missing the engine names its missing inputs),
  or a **function** ``frame -> polars Series`` applied to a facts snapshot before matching (given
  by dotted path, resolved on first use: ``size_class`` from the 2017 size-class table).
* :class:`FactRegistry` holds the facts in declaration order. :func:`default_registry` is the
  platform's: the catalogue of :mod:`tongchou.facts.catalogue` plus the ``FACTS`` of every installed
  app's ``facts.py`` (collected at start-up by the facts app, see :func:`discover`).
* The engine reads :func:`current` — the default, or the registry given explicitly with
  ``registry=`` to an engine function (:func:`registry_argument`) or :func:`using`.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# The column that identifies an enterprise in every snapshot and result.
KEY = "uscc"


class FactType(StrEnum):
    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    ENUM = "enum"
    DATE = "date"


class FactDeclarationError(ValueError):
    """Two declarations of one name disagree, a derivation names an unknown fact, or derivations
    depend on each other in a circle."""


@dataclass(frozen=True)
class Derivation:
    """How a fact is computed when no value is stored for it.

    * ``expression``: a rule-language expression over ``inputs`` (e.g. ``CASE WHEN a > 0 THEN
      b / a END``), computed in the engine's query on both databases and by the tracer;
    * ``function``: ``"module:callable"`` (or a callable) taking a polars frame of facts and
      returning the derived column as a Series (or None when the frame lacks what it needs);
      ``row`` optionally does the same for one enterprise's dict (the tracer); without it the
      function runs on a one-row frame.

    ``note`` is shown as the source of a derived value (由参保人数推算)."""

    inputs: tuple[str, ...]
    expression: str = ""
    function: str | Callable[..., Any] = ""
    row: str | Callable[..., Any] = ""
    note: str = "推算"

    def __post_init__(self) -> None:
        if bool(self.expression) == bool(self.function):
            raise FactDeclarationError("a derivation has either an expression or a function")

    @property
    def kind(self) -> str:
        return "expression" if self.expression else "function"

    def frame_function(self) -> Callable[..., Any] | None:
        return _resolve(self.function)

    def row_function(self) -> Callable[..., Any] | None:
        return _resolve(self.row) if self.row else None


@functools.cache
def _import(path: str) -> Callable[..., Any] | None:
    module, _, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):  # the engine works without an optional derivation
        return None


def _resolve(ref: str | Callable[..., Any]) -> Callable[..., Any] | None:
    if callable(ref):
        return ref
    return _import(ref) if ref else None


@dataclass(frozen=True)
class Fact:
    name: str
    type: FactType
    label: str  # Chinese, shown to people (需补充：<label>)
    description: str = ""
    source: str = ""  # who supplies it: registry, 人社局 …, derived
    unit: str = ""  # 元, 万元, 人 …; amounts are in yuan unless the name ends in _wan
    choices: tuple[str, ...] = ()  # for enum facts
    choice_labels: tuple[str, ...] = ()
    derivation: Derivation | None = None
    display: str = ""  # "percent": a ratio shown as 5.50%
    aliases: tuple[str, ...] = ()  # other headers a data file may use for this fact
    declared_by: str = field(default="", compare=False)  # the module that declared it

    @property
    def derived(self) -> bool:
        return self.derivation is not None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": str(self.type),
            "label": self.label,
            "description": self.description,
            "source": self.source,
            "unit": self.unit,
            "derived": self.derived,
            "choices": list(self.choices),
            "choice_labels": list(self.choice_labels),
        }


class FactRegistry:
    """Facts by name, in declaration order. Mapping-like: ``name in reg``, ``reg[name]``,
    ``reg.get(name)``, iteration over names, ``reg.items()``, ``reg.values()``."""

    def __init__(self, facts: Iterable[Fact] = (), *, name: str = ""):
        self.name = name
        self._facts: dict[str, Fact] = {}
        self._derived_order: list[Fact] | None = None
        self.version = 0
        self.register(*facts)

    # --- declaring ---------------------------------------------------------------------------
    def register(self, *facts: Fact, declared_by: str = "") -> None:
        """Add facts. Re-declaring a name identically is a no-op; differently, an error."""
        for fact in facts:
            if declared_by and not fact.declared_by:
                object.__setattr__(fact, "declared_by", declared_by)
            old = self._facts.get(fact.name)
            if old is not None:
                if old == fact:
                    continue
                raise FactDeclarationError(
                    f"fact {fact.name!r} is declared twice, differently ({old.declared_by or '?'} and "
                    f"{fact.declared_by or '?'})"
                )
            self._facts[fact.name] = fact
        self.version += 1
        self._derived_order = None

    def with_facts(self, *facts: Fact, name: str = "") -> FactRegistry:
        """A copy of this registry with more facts (tests, simulations, a module's own view)."""
        return FactRegistry([*self._facts.values(), *facts], name=name or self.name)

    # --- mapping -------------------------------------------------------------------------------
    def __contains__(self, name: object) -> bool:
        return name in self._facts

    def __getitem__(self, name: str) -> Fact:
        return self._facts[name]

    def get(self, name: str, default: Fact | None = None) -> Fact | None:
        return self._facts.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._facts)

    def __len__(self) -> int:
        return len(self._facts)

    def names(self) -> list[str]:
        return list(self._facts)

    def values(self):
        return self._facts.values()

    def items(self):
        return self._facts.items()

    def __repr__(self) -> str:
        return f"<FactRegistry {self.name or id(self)}: {len(self)} facts>"

    # --- reading -------------------------------------------------------------------------------
    def label(self, name: str) -> str:
        fact = self._facts.get(name)
        return fact.label if fact else name

    def unit(self, name: str) -> str:
        fact = self._facts.get(name)
        return fact.unit if fact else ""

    def schema(self) -> list[dict]:
        """The documented schema, as plain data (for the API and docs)."""
        return [f.to_dict() for f in self._facts.values()]

    def expression_inputs(self, name: str) -> tuple[str, ...]:
        """Every fact an expression-derived fact reads, its inputs' inputs included (depth
        first, in declaration order); () for any other fact. The engine tracks these as missing
        facts and names them when the derived fact cannot be computed."""
        out: list[str] = []

        def walk(n: str) -> None:
            fact = self._facts.get(n)
            if fact is None or fact.derivation is None or fact.derivation.kind != "expression":
                return
            for x in fact.derivation.inputs:
                if x not in out:
                    out.append(x)
                    walk(x)

        walk(name)
        return tuple(out)

    def missing_names(self, name: str, is_null: Callable[[str], bool]) -> list[str]:
        """What to ask for when ``name`` is missing: for an expression-derived fact that could not
        be computed, its missing inputs (recursively) — or the fact itself when every input is
        there; for any other fact, the fact. ``is_null(name) -> bool``."""
        out: list[str] = []

        def add(n: str) -> None:
            fact = self._facts.get(n)
            d = fact.derivation if fact is not None else None
            if d is not None and d.kind == "expression" and is_null(n):
                absent = [x for x in d.inputs if is_null(x)]
                if absent:
                    for x in absent:
                        add(x)
                    return
            if is_null(n) and n not in out:
                out.append(n)

        add(name)
        return out

    def derived(self, kind: str | None = None) -> list[Fact]:
        """Derived facts with their inputs before them (a derivation may read another derived
        fact); ``kind`` = ``expression`` or ``function`` to filter."""
        if self._derived_order is None:
            self._derived_order = self._order()
        return [
            f for f in self._derived_order if kind is None or (f.derivation and f.derivation.kind == kind)
        ]

    def _order(self) -> list[Fact]:
        done: list[Fact] = []
        state: dict[str, int] = {}

        def visit(fact: Fact, path: tuple[str, ...]) -> None:
            if state.get(fact.name) == 2:
                return
            if state.get(fact.name) == 1:
                raise FactDeclarationError("derivations form a circle: " + " → ".join((*path, fact.name)))
            state[fact.name] = 1
            for x in fact.derivation.inputs if fact.derivation else ():
                dep = self._facts.get(x)
                if dep is not None and dep.derivation is not None:
                    visit(dep, (*path, fact.name))
            state[fact.name] = 2
            done.append(fact)

        for fact in self._facts.values():
            if fact.derivation is not None:
                visit(fact, ())
        return done

    def problems(self) -> list[str]:
        """Declaration mistakes (for the system check and tests): unknown derivation inputs,
        circles, unresolvable derivation functions."""
        out = []
        for fact in self._facts.values():
            d = fact.derivation
            if d is None:
                continue
            for x in d.inputs:
                if x not in self._facts:
                    out.append(f"事实“{fact.name}”的推算用到了未声明的事实“{x}”")
            if d.kind == "function" and d.frame_function() is None:
                out.append(f"事实“{fact.name}”的推算函数“{d.function}”无法导入")
        try:
            self._order()
        except FactDeclarationError as err:
            out.append(str(err))
        return out


# ---------------------------------------------------------------------------------------------
# the platform's registry and the one in use
# ---------------------------------------------------------------------------------------------
_DEFAULT: FactRegistry | None = None
_CURRENT: contextvars.ContextVar[FactRegistry | None] = contextvars.ContextVar("tongchou_facts", default=None)


def default_registry() -> FactRegistry:
    """The platform's registry: the catalogue, plus what :func:`discover` collected."""
    global _DEFAULT
    if _DEFAULT is None:
        from .catalogue import FACTS

        _DEFAULT = FactRegistry(FACTS, name="platform")
    return _DEFAULT


def current() -> FactRegistry:
    """The registry in use: the one set by :func:`using`, else the platform's."""
    return _CURRENT.get() or default_registry()


@contextmanager
def using(registry: FactRegistry | None) -> Iterator[FactRegistry]:
    """Within the block, :func:`current` is ``registry`` (None: unchanged)."""
    if registry is None:
        yield current()
        return
    token = _CURRENT.set(registry)
    try:
        yield registry
    finally:
        _CURRENT.reset(token)


def registry_argument(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Give a function a keyword-only ``registry=`` argument: when passed, the function runs
    with that registry as :func:`current`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, registry: FactRegistry | None = None, **kwargs: Any) -> Any:
        if registry is None:
            return fn(*args, **kwargs)
        with using(registry):
            return fn(*args, **kwargs)

    return wrapper


def discover(modules: Iterable[str], *, into: FactRegistry | None = None) -> list[str]:
    """Import each module and register its ``FACTS`` (a list of :class:`Fact`) into the
    platform's registry (or ``into``); modules that do not exist are skipped. Returns the
    modules that declared facts. The facts app calls this at start-up with ``<app>.facts`` of
    every installed app, so an app declares facts in its own ``facts.py``."""
    target = into if into is not None else default_registry()
    found = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name is not None and name.startswith(err.name):
                continue
            raise
        facts = getattr(module, "FACTS", None)
        if facts:
            target.register(*facts, declared_by=name)
            found.append(name)
    return found
