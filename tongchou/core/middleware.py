"""Turns domain errors raised in views into a friendly Chinese page (API errors are handled by the
NinjaAPI exception handler in tongchou/api.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongchou.core.errors import TongchouError


class TongchouErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TongchouError):
            return render(request, "core/error.html", {"error": exception}, status=exception.status)
        return None
