"""Rows of the role matrix (``core/tests/test_access_matrix.py``), written so that adding a role
does not mean editing every row: a row names the roles that get something other than the "no
access" answer, and every role it does not name gets ``default``.

    page("department", "leader", "admin")        # a page for staff: 302 anonymous, 403 the rest
    api("enterprise", "admin")                   # an API endpoint: 401 anonymous, 403 the rest
    page("enterprise", ok=405)                   # POST-only: GET refused with 405 once let in
    everyone(200)                                # public
    row(anonymous=302, default=302, admin=200)   # anything else, spelled out

A role added to ``accounts.roles.Role`` then gets ``default`` on every existing URL; the matrix
test requests every URL as every role, so a role that does see more fails until its rows say so.
"""

from __future__ import annotations

from tongchou.accounts.roles import ALL_ROLES, ANONYMOUS, Role

ROLES = list(ALL_ROLES)


def row(*, anonymous: int, default: int, **statuses: int) -> dict[str, int]:
    """Expected HTTP status per role: the named roles get theirs, the others ``default``."""
    unknown = set(statuses) - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles in an access expectation: {sorted(unknown)}")
    return {ANONYMOUS: anonymous, **{r: statuses.get(r, default) for r in Role.values}}


def page(*allowed: str, ok: int = 200, **statuses: int) -> dict[str, int]:
    """A page: the ``allowed`` roles get ``ok``, the public is sent to log in (302), others 403."""
    return row(anonymous=302, default=403, **{r: ok for r in allowed}, **statuses)


def api(*allowed: str, ok: int = 200, anonymous: int = 401, **statuses: int) -> dict[str, int]:
    """An API endpoint: the ``allowed`` roles get ``ok``, the public 401, others 403."""
    return row(anonymous=anonymous, default=403, **{r: ok for r in allowed}, **statuses)


def everyone(status: int) -> dict[str, int]:
    """The same answer for every role, the public included."""
    return row(anonymous=status, default=status)


def logged_in(status: int = 200, *, anonymous: int = 302) -> dict[str, int]:
    """Every logged-in role gets ``status``; the public ``anonymous``."""
    return row(anonymous=anonymous, default=status)
