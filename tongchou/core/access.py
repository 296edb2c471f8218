"""The one access marker core's own views need. Roles, ``require_roles`` and region scoping live in
``accounts`` (which builds on core; core imports no other app), and ``accounts.access`` re-exports
this marker, so every view still reads ``@public`` or ``@require_roles(...)``."""

from __future__ import annotations

from collections.abc import Callable

EVERYONE = frozenset({"*"})


def public(view: Callable) -> Callable:
    """Open to everyone, including the anonymous public (``view.allowed_roles`` is ``EVERYONE``)."""
    view.allowed_roles = EVERYONE  # type: ignore[attr-defined]
    return view
