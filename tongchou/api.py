"""The one JSON API, mounted at /api/, with its OpenAPI schema at /api/openapi.json and docs at /api/docs.

django-ninja was chosen over DRF + drf-spectacular: the schema comes from the same type hints that
validate input, endpoints are plain functions that call services (no serializer/viewset layer to keep
in step), and it is markedly faster per request. Two auth schemes: ``Authorization: Bearer <token>``
for systems, the session (with CSRF) for the browser.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from tongchou.accounts.models import ApiToken
from tongchou.core.errors import TongchouError
from tongchou.core.middleware import error_body

log = logging.getLogger("tongchou.api")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="统筹平台 API",
    version="1",
    description="统筹疫情防控和经济社会发展平台的数据接口。系统间调用使用 Bearer 令牌，浏览器使用会话。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    # assets from our own static files ("ninja" is in INSTALLED_APPS); no online validator badge
    docs=Swagger(settings={"validatorUrl": None, "docExpansion": "list"}),
)


@api.exception_handler(TongchouError)
def _domain_error(request: HttpRequest, exc: TongchouError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request,
        {"code": "unauthenticated", "message": "请先登录或提供有效的接口令牌。", "detail": None},
        status=401,
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError):
    return api.create_response(
        request, {"code": "validation_failed", "message": "请求参数有误。", "detail": exc.errors}, status=422
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, error_body(404), status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    """Errors ninja raises itself (a malformed body, a throttle): the same body as our own."""
    return api.create_response(request, error_body(exc.status_code), status=exc.status_code)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception):
    log.exception("接口处理出错：%s %s", request.method, request.path)
    return api.create_response(request, error_body(500), status=500)


def _mount() -> None:
    from tongchou.accounts.api import router as accounts
    from tongchou.appeals.api import router as appeals
    from tongchou.enterprises.api import router as enterprises
    from tongchou.epidemic.api import router as epidemic
    from tongchou.facts.api import router as facts
    from tongchou.financing.api import router as financing
    from tongchou.operations.api import router as operations
    from tongchou.policies.api import router as policies
    from tongchou.projects.api import router as projects
    from tongchou.rules.api import router as rules
    from tongchou.supervision.api import router as supervision

    api.add_router("/core/", accounts)  # /api/core/me
    api.add_router("/enterprises/", enterprises)
    api.add_router("/facts/", facts)
    api.add_router("/policies/", policies)
    api.add_router("/rules/", rules)
    api.add_router("/appeals/", appeals)
    api.add_router("/operations/", operations)
    api.add_router("/epidemic/", epidemic)
    api.add_router("/financing/", financing)
    api.add_router("/projects/", projects)
    api.add_router("/supervision/", supervision)


_mount()
