"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) so existing civic tools can talk to
the platform: ``services.json``, ``requests.json`` (POST to create, GET to search) and
``requests/{id}.json``. A service is an appeal category; a service request is an appeal, its
``service_request_id`` the appeal number.

Authentication: ``api_key`` (an ApiToken issued with ``tongchou issue-token``) or a Bearer header.
Without a key, POST is accepted like the public web form (a phone number is then required) and a
single request can be read back with ``?phone=`` (the public sees only its own).

Media: ``media_url`` (the spec's field) is stored and shown to the handler as a link, never fetched
(isolated networks; a caller-chosen URL fetched by the server is an SSRF hole). A POST sent as
multipart/form-data may also carry the picture itself as ``media`` (the extension FixMyStreet and
Mark-a-Spot use); it becomes an attachment under the same type and size limits as the web form.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from tongchou.accounts.access import public
from tongchou.accounts.models import ApiToken
from tongchou.accounts.roles import STAFF_ROLES, role_of
from tongchou.appeals import selectors, services
from tongchou.appeals.models import Appeal, Category, Channel
from tongchou.appeals.routing import default_categories
from tongchou.appeals.states import OPEN_STATUSES
from tongchou.core import clock
from tongchou.core.errors import NotFound, TongchouError


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _caller(request: HttpRequest):
    raw = request.GET.get("api_key") or request.POST.get("api_key") or ""
    auth = request.headers.get("Authorization", "")
    if not raw and auth.lower().startswith("bearer "):
        raw = auth[7:].strip()
    if raw:
        user = ApiToken.authenticate(raw)
        if user is None:
            raise PermissionError
        return user
    return request.user if request.user.is_authenticated else None


def _as_open311(a: Appeal) -> dict:
    expected = a.resolution_due
    return {
        "service_request_id": a.number,
        "status": "open" if a.status in OPEN_STATUSES else "closed",
        "status_notes": a.answer or a.status_label,
        "service_name": a.get_category_display(),
        "service_code": a.category,
        "description": a.text,
        "agency_responsible": a.department.name if a.department_id else "",
        "service_notice": "",
        "requested_datetime": clock.localize(a.submitted_at).isoformat(),
        "updated_datetime": clock.localize(a.answered_at or a.dispatched_at or a.submitted_at).isoformat(),
        "expected_datetime": clock.localize(expected).isoformat() if expected else None,
        "address": a.address,
        "lat": a.lat,
        "long": a.long,
        "media_url": a.media_url,
    }


@public
def services_list(request: HttpRequest) -> JsonResponse:
    descriptions = {c.code: "、".join(list(c.keywords)[:6]) for c in default_categories()}
    return JsonResponse(
        [
            {
                "service_code": code,
                "service_name": str(label),
                "description": descriptions.get(code, ""),
                "metadata": False,
                "type": "realtime",
                "keywords": descriptions.get(code, "").replace("、", ","),
                "group": "诉求",
            }
            for code, label in Category.choices
        ],
        safe=False,
    )


def _payload(request: HttpRequest) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


@csrf_exempt
@public
def requests_view(request: HttpRequest) -> JsonResponse:
    try:
        user = _caller(request)
    except PermissionError:
        return _error(403, "api_key 无效")
    if request.method == "POST":
        return _create(request, user)
    if request.method != "GET":
        return _error(405, "仅支持 GET 与 POST")
    if user is None or role_of(user) not in STAFF_ROLES:
        return _error(
            401, "查询诉求列表需要 api_key；群众请用 requests/{编号}.json?phone=手机号 查询本人诉求"
        )
    qs = selectors.appeals_for_user(user).select_related("department")
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        qs = qs.filter(number__in=ids)
    if request.GET.get("service_code"):
        qs = qs.filter(category__in=request.GET["service_code"].split(","))
    status = request.GET.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=list(OPEN_STATUSES))
    elif status == "closed":
        qs = qs.exclude(status__in=list(OPEN_STATUSES))
    for param, lookup in (("start_date", "submitted_at__gte"), ("end_date", "submitted_at__lte")):
        if request.GET.get(param):
            try:
                qs = qs.filter(**{lookup: datetime.fromisoformat(request.GET[param].replace("Z", "+00:00"))})
            except ValueError:
                return _error(400, f"{param} 须为 ISO 8601 时间")
    return JsonResponse([_as_open311(a) for a in qs.order_by("-submitted_at")[:1000]], safe=False)


def _create(request: HttpRequest, user) -> JsonResponse:
    from tongchou.regions.models import Region

    data = _payload(request)
    code = data.get("service_code", "")
    if code not in Category.values:
        return _error(400, f"service_code “{code}” 不存在，见 services.json")
    description = (data.get("description") or "").strip()
    region_code = data.get("jurisdiction_id") or "370306"
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        return _error(400, f"jurisdiction_id “{region_code}” 不是有效的区划代码")
    name = " ".join(x for x in (data.get("last_name", ""), data.get("first_name", "")) if x).strip()

    def _float(v):
        try:
            return float(v) if v not in (None, "") else None
        except (TypeError, ValueError):
            return None

    staff = user is not None and role_of(user) in STAFF_ROLES
    try:
        appeal, created = services.appeal_submit(
            text=description,
            region=region,
            channel=Channel.OPEN311,
            contact_name=name,
            contact_phone=str(data.get("phone", "")),
            category=code,
            client=f"user:{user.pk}" if staff else "open311-public",
            idempotency_key=request.headers.get("Idempotency-Key", "")
            or str(data.get("idempotency_key", "")),
            address=str(data.get("address_string", ""))[:200],
            lat=_float(data.get("lat")),
            long=_float(data.get("long")),
            media_url=str(data.get("media_url", "") or ""),
            attachments=request.FILES.getlist("media"),
        )
    except TongchouError as exc:
        return _error(400, exc.message)
    body = [
        {
            "service_request_id": appeal.number,
            "service_notice": f"已受理，承办部门将在 {clock.localize(appeal.feedback_due):%Y-%m-%d} 前与您联系",
            "account_id": None,
        }
    ]
    return JsonResponse(body, status=201 if created else 200, safe=False)


@public
def request_detail(request: HttpRequest, number: str) -> JsonResponse:
    try:
        user = _caller(request)
    except PermissionError:
        return _error(403, "api_key 无效")
    try:
        if user is not None and role_of(user) in STAFF_ROLES | {"enterprise"}:
            appeal = selectors.appeal_for_user(user, number)
        elif request.GET.get("phone"):
            appeal = selectors.appeal_for_public(number, request.GET["phone"])
        else:
            return _error(401, "请提供 api_key，或用提交时的手机号 ?phone= 查询")
    except NotFound:
        return _error(404, "没有找到该诉求")
    return JsonResponse([_as_open311(appeal)], safe=False)
