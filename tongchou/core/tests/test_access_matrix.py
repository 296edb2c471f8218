"""The role matrix: every URL of the platform, requested by every role, answers as declared.

Each app lists its URLs in ``tongchou/<app>/tests/access_expectations.py``:
``EXPECTED[name] = row(...)`` (``accounts/tests/expect.py``: roles a row does not name get its
"no access" default, so a new role needs no edit of existing rows), plus optional ``KWARGS[name] = f(users) -> url kwargs``,
``METHOD[name] = "post"`` and ``DATA[name] = f(users) -> body`` (JSON for the API). A URL that has
no entry fails the test, so the matrix grows with every page.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tongchou.accounts.roles import ALL_ROLES

ROLES = list(ALL_ROLES)


def _collect() -> tuple[dict, dict, dict, dict]:
    expected, kwargs, methods, data = {}, {}, {}, {}
    for config in apps.get_app_configs():
        if not config.name.startswith("tongchou."):
            continue
        name = f"{config.name}.tests.access_expectations"
        if find_spec(f"{config.name}.tests") is None or find_spec(name) is None:
            continue
        mod = import_module(name)
        expected.update(mod.EXPECTED)
        kwargs.update(getattr(mod, "KWARGS", {}))
        methods.update(getattr(mod, "METHOD", {}))
        data.update(getattr(mod, "DATA", {}))
    return expected, kwargs, methods, data


def _url_names(patterns=None, namespace: str = "") -> list[str]:
    names = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns == "admin":
                names.append("admin:index")  # Django's admin guards itself; we check its door
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names.extend(_url_names(p.url_patterns, full))
        elif isinstance(p, URLPattern):
            if p.name is None:
                names.append(f"<unnamed {p.pattern}>")
            else:
                names.append(f"{namespace}:{p.name}" if namespace else p.name)
    return sorted(set(names))


EXPECTED, KWARGS, METHOD, DATA = _collect()


def test_every_url_has_an_access_expectation():
    missing = [name for name in _url_names() if name not in EXPECTED]
    assert not missing, f"URLs without a row in an access_expectations.py: {missing}"


def test_the_users_fixture_has_one_user_per_role(users):
    assert set(users) == set(ROLES)
    assert all(users[r].role == r or users[r].is_superuser for r in ROLES if r != "anonymous")


def test_every_expectation_names_a_real_url_and_every_role():
    names = set(_url_names())
    stale = [name for name in EXPECTED if name not in names]
    assert not stale, f"expectations for URLs that no longer exist: {stale}"
    incomplete = [name for name, row in EXPECTED.items() if set(row) != set(ROLES)]
    assert not incomplete, f"expectations missing some roles: {incomplete}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_url_answers_each_role_as_declared(name, users, client_as):
    url = reverse(name, kwargs=KWARGS[name](users) if name in KWARGS else None)
    method = METHOD.get(name, "get")
    got = {}
    for role in ROLES:
        client = client_as(role)
        if method == "get":
            response = client.get(url)
        else:
            body = DATA[name](users) if name in DATA else {}
            if name.startswith("api:"):
                response = getattr(client, method)(url, data=body, content_type="application/json")
            else:
                response = getattr(client, method)(url, data=body)
        got[role] = response.status_code
    assert got == EXPECTED[name]
