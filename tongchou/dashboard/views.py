from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongchou.accounts.access import public, require_roles
from tongchou.accounts.roles import role_of
from tongchou.dashboard import compose
from tongchou.dashboard.dashboard import COMMAND_ROLES


@public
def home(request: HttpRequest) -> HttpResponse:
    composed = compose.home(request.user)
    return render(request, "dashboard/home.html", {"role": role_of(request.user), "tiles": composed.tiles})


@require_roles(*COMMAND_ROLES)
def command(request: HttpRequest) -> HttpResponse:
    composed = compose.command_centre(request.user, request.GET.get("region"))
    return render(
        request,
        "dashboard/command.html",
        {
            "region": composed.ctx.region,
            "subregions": composed.ctx.subregions,
            "trail": composed.trail,
            "tiles": composed.tiles,
            "panels": composed.panels,
        },
    )
