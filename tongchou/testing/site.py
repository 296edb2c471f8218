"""The site a whole-platform browser test walks: the demo's data and accounts, logged in without the
form, in either display mode.

``build_demo_site()`` runs every step of ``settings.TONGCHOU_DEMO_STEPS`` (so a new module's pages
get data as soon as it adds its demo step), ``login_as(context, base_url, role)`` puts the demo
account of a role into a browser context, ``set_care_mode(context, base_url, on)`` switches
关怀模式 the way the switch in the page header does (a cookie).
"""

from __future__ import annotations

import io

# the demo's account for each role (accounts.demo.step_accounts and the steps after it); a role
# not listed logs in as the first demo account that has it
DEMO_USERS = {
    "enterprise": "qiye",
    "department": "renshe",
    "leader": "leader",
    "bank": "bank",
    "admin": "admin",
}


def demo_roles() -> list[str]:
    """Every role, anonymous first: the roles a whole-site test walks (new roles join by themselves)."""
    from tongchou.accounts.roles import Role

    return ["anonymous"] + [r.value for r in Role]


def demo_user(role: str):
    from tongchou.accounts.models import User

    if role in DEMO_USERS:
        return User.objects.get(username=DEMO_USERS[role])
    user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
    assert user is not None, f"the demo has no account of role {role}"
    return user


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def build_demo_site(enterprises: int = 400) -> None:
    """Every app's demo step, in the order ``tongchou demo`` runs them, with ``enterprises``
    synthetic enterprises instead of the demo's 3,000 (enough for every list to have pages)."""
    from django.conf import settings
    from django.test import override_settings

    from tongchou.core.demo import run_demo_steps

    with override_settings(TONGCHOU_DEMO_ENTERPRISES=min(enterprises, settings.TONGCHOU_DEMO_ENTERPRISES)):
        run_demo_steps(io.StringIO())


def login_as(context, base_url: str, role: str) -> None:
    """Give the browser context a session of the demo account of ``role`` (anonymous: none)."""
    from django.conf import settings
    from django.test import Client

    context.clear_cookies()
    if role == "anonymous":
        return
    client = Client()
    client.force_login(demo_user(role))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def set_care_mode(context, base_url: str, on: bool) -> None:
    """Switch 关怀模式 for the context (the same cookie the header's switch sets)."""
    from tongchou.core.care import COOKIE

    cookies = [c for c in context.cookies() if c["name"] != COOKIE]
    context.clear_cookies()
    if on:
        cookies.append({"name": COOKIE, "value": "1", "url": base_url})
    if cookies:
        context.add_cookies(
            [
                {k: c[k] for k in ("name", "value", "url") if k in c}
                if "url" in c
                else {k: c[k] for k in ("name", "value", "domain", "path")}
                for c in cookies
            ]
        )
