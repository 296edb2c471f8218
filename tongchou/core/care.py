"""关怀模式 (elder-friendly mode): a switch on every page that the visitor keeps.

The choice is a cookie, so it works for anonymous visitors and survives logging in and out; the
page carries ``class="care"`` on ``<html>`` and the stylesheet does the rest (larger type and
targets, higher contrast, one column). Without the cookie the page still follows the browser's
own text size and ``prefers-contrast`` / ``prefers-reduced-motion`` settings.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tongchou.core.access import public

COOKIE = "tc_care"
MAX_AGE = 365 * 24 * 3600


def care_mode_on(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def care_mode(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``care_mode`` for base.html."""
    return {"care_mode": care_mode_on(request)}


@public
@require_POST
def care_mode_toggle(request: HttpRequest) -> HttpResponse:
    """Turn the mode on (``on=1``) or off (``on=0``) and go back to the page the switch was on."""
    on = request.POST.get("on") == "1"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if on:
        response.set_cookie(COOKIE, "1", max_age=MAX_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
