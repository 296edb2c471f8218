"""Errors as people and programs expect them.

- ``TongchouErrorMiddleware``: a domain error raised in a view becomes a friendly Chinese page (API
  errors are rendered by the NinjaAPI exception handlers in tongchou/api.py).
- ``ApiErrorsAsJson``: under ``/api/`` an error never comes back as an HTML page or plain text — a
  URL that does not exist (404), a method the endpoint does not take (405), a CSRF refusal (403), a
  crash (500) are all rewritten to the API's ``{"code", "message", "detail"}`` body.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongchou.core.errors import TongchouError

API_PREFIX = "/api/"

# status -> (code, message) for errors that did not come from a domain error
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式有误。"),
    401: ("unauthenticated", "请先登录或提供有效的接口令牌。"),
    403: ("permission_denied", "没有权限执行此操作（浏览器请求须带 CSRF 令牌）。"),
    404: ("not_found", "接口地址不存在，或您要找的记录不存在。"),
    405: ("method_not_allowed", "该接口不支持此请求方法。"),
    413: ("payload_too_large", "请求内容过大。"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "服务器处理出错，已记录。请稍后重试。"),
}


def error_body(status: int, *, message: str | None = None, detail: object = None) -> dict[str, object]:
    code, default = HTTP_ERRORS.get(status, (f"http_{status}", "请求未能完成。"))
    return {"code": code, "message": message or default, "detail": detail}


class TongchouErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TongchouError):
            return render(request, "core/error.html", {"error": exception}, status=exception.status)
        return None


class ApiErrorsAsJson:
    """Rewrites any non-JSON error response under ``/api/`` into the API's error body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        body = error_body(response.status_code)
        if response.status_code == 405 and response.has_header("Allow"):
            body["detail"] = {"allowed": [m.strip() for m in response["Allow"].split(",")]}
        rewritten = HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=response.status_code,
            content_type="application/json; charset=utf-8",
        )
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if response.has_header(header):
                rewritten[header] = response[header]
        return rewritten
