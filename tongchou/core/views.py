"""Core's own pages: the health check and the error pages. (The home page and the command centre are
the dashboard app's; the notification inbox is the accounts app's.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongchou.core.access import public


@public
def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


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
