from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tongchou.accounts.access import public, require_roles
from tongchou.accounts.roles import Role, role_of
from tongchou.core import clock
from tongchou.core.notifications import notifications_for

LOGGED_IN = [r.value for r in Role]


@public
def home(request: HttpRequest) -> HttpResponse:
    from tongchou.core.home import home_tiles

    return render(
        request, "core/home.html", {"role": role_of(request.user), "tiles": home_tiles(request.user)}
    )


@public
def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_roles(*LOGGED_IN)
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@require_roles(*LOGGED_IN)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_for(request.user).filter(read_at__isnull=True).update(read_at=clock.now())
    return redirect("core:notifications")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/status.html",
        {
            "code": 403,
            "title": "没有权限",
            "message": "您的账号没有访问此页面的权限。如需开通，请联系管理员。",
        },
        status=403,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/status.html",
        {"code": 404, "title": "页面不存在", "message": "您访问的页面不存在，或您无权查看。"},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/status.html",
        {"code": 500, "title": "系统繁忙", "message": "服务器处理出错，已记录。请稍后重试。"},
        status=500,
    )
