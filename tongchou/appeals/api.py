"""JSON API for appeals, mounted at /api/appeals/. The 12345 hotline system creates and updates
orders with a Bearer token; the browser uses the session. Create answers 201 only after commit;
repeating a request with the same ``idempotency_key`` (or ``Idempotency-Key`` header) answers 200
with the same order."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile

from tongchou.accounts.access import api_require_roles
from tongchou.accounts.roles import Role, role_of
from tongchou.appeals import selectors, services
from tongchou.appeals.models import Appeal, Attachment, Channel
from tongchou.appeals.states import Action
from tongchou.core import clock
from tongchou.core.audit import client_ip
from tongchou.core.errors import NotFound, ValidationFailed

router = Router(tags=["appeals"])
CREATORS = ("enterprise", "department", "leader", "admin")


class AttachmentIn(Schema):
    name: str
    content_base64: str


class AppealIn(Schema):
    text: str
    region: str | None = None
    category: str = ""
    title: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    channel: str = "api"
    external_id: str = ""
    idempotency_key: str = ""
    address: str = ""
    lat: float | None = None
    long: float | None = None
    measure_ids: list[str] = []
    media_url: str = ""
    attachments: list[AttachmentIn] = []


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class AppealOut(Schema):
    number: str
    status: str
    status_label: str
    category: str
    region: str
    department: str | None
    department_id: int | None
    text: str
    contact_name: str
    contact_phone: str
    external_id: str
    submitted_at: datetime
    feedback_due: datetime | None
    resolution_due: datetime | None
    feedback_at: datetime | None
    answered_at: datetime | None
    answer: str
    rating: str
    rating_comment: str
    batch: str | None
    merged_into: str | None
    routing: dict
    media_url: str
    attachments: list[AttachmentOut]


class AppealUpdateIn(Schema):
    text_addition: str = ""
    contact_phone: str = ""


class ActionIn(Schema):
    department_id: int | None = None
    reason: str = ""
    answer: str = ""
    rating: str = ""
    comment: str = ""
    into: str = ""


class RouteOut(Schema):
    department: str | None
    category: str
    confidence: float
    candidates: list[dict]


def _user(request: HttpRequest):
    return request.auth if hasattr(request.auth, "pk") else request.user


def _local(value: datetime | None) -> datetime | None:
    return clock.localize(value) if value else None


def attachment_out(appeal: Appeal, att: Attachment) -> dict:
    return {
        "id": att.pk,
        "name": att.name,
        "content_type": att.content_type,
        "size": att.size,
        "url": f"/api/appeals/{appeal.number}/attachments/{att.pk}",
    }


def out(appeal: Appeal, attachments: list[Attachment] | None = None, *, viewer: Any = None) -> dict:
    """The API's view of an order. *attachments* spares a query when the caller knows them (a
    fresh submission); otherwise they are read (prefetched by the list endpoint). The routing
    scores are the dispatchers' working material: an enterprise *viewer* gets ``{}``."""
    if attachments is None:
        attachments = list(appeal.attachments.all())
    return {
        "number": appeal.number,
        "status": appeal.status,
        "status_label": appeal.status_label,
        "category": appeal.category,
        "region": appeal.region_id,
        "department": appeal.department.name if appeal.department_id else None,
        "department_id": appeal.department_id,
        "text": appeal.text,
        "contact_name": appeal.contact_name,
        "contact_phone": selectors.contact_phone_display(None, appeal),
        "external_id": appeal.external_id,
        "submitted_at": _local(appeal.submitted_at),
        "feedback_due": _local(appeal.feedback_due),
        "resolution_due": _local(appeal.resolution_due),
        "feedback_at": _local(appeal.feedback_at),
        "answered_at": _local(appeal.answered_at),
        "answer": appeal.answer,
        "rating": appeal.rating,
        "rating_comment": appeal.rating_comment,
        "batch": str(appeal.batch) if appeal.batch_id else None,
        "merged_into": appeal.merged_into.number if appeal.merged_into_id else None,
        "routing": {} if viewer is not None and role_of(viewer) == Role.ENTERPRISE else appeal.routing,
        "media_url": appeal.media_url,
        "attachments": [attachment_out(appeal, a) for a in attachments],
    }


def _decoded(items: list[AttachmentIn]) -> list[services.UploadedFile]:
    files = []
    for i, item in enumerate(items, start=1):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(
                f"第 {i} 个附件“{item.name}”的 content_base64 不是有效的 Base64 编码。",
                detail={"field": "attachments", "index": i, "name": item.name},
            ) from None
        files.append(services.UploadedFile(name=item.name, content=content))
    return files


def _enterprise_phone(user) -> str:
    ent = getattr(user, "enterprise", None)
    return user.phone or (getattr(ent, "contact_phone", "") if ent else "")


def _region(user, code: str | None):
    from tongchou.regions.models import region_by_code

    if role_of(user) == Role.ENTERPRISE:
        if not user.enterprise_id:
            raise ValidationFailed("账号未绑定企业，不能提交诉求。")
        return user.enterprise.region
    if not code:
        code = user.department.region_id if getattr(user, "department_id", None) else user.region_id
    region = region_by_code(code) if code else None  # cached; dropped when regions change
    if region is None:
        raise ValidationFailed(f"区划代码“{code}”不存在。", detail={"field": "region"})
    return region


@router.post(
    "/",
    response={200: AppealOut, 201: AppealOut},
    summary="提交诉求（12345 热线 / 系统对接）",
    url_name="appeals_list",
)
def create(request: HttpRequest, payload: AppealIn):
    user = _user(request)
    role = api_require_roles(request, *CREATORS)
    channel = payload.channel if payload.channel in Channel.values else Channel.API
    if role == Role.ENTERPRISE:
        channel = Channel.WEB
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    files = _decoded(payload.attachments)
    appeal, created = services.appeal_submit(
        text=payload.text,
        region=_region(user, payload.region),
        channel=channel,
        submitter=user if role == Role.ENTERPRISE else None,
        enterprise=user.enterprise if role == Role.ENTERPRISE else None,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone or (_enterprise_phone(user) if role == Role.ENTERPRISE else ""),
        category=payload.category,
        title=payload.title,
        client=f"user:{user.pk}",
        idempotency_key=key,
        external_id=payload.external_id,
        address=payload.address,
        lat=payload.lat,
        long=payload.long,
        measure_ids=payload.measure_ids,
        media_url=payload.media_url,
        attachments=files,
    )
    if not created:
        appeal = Appeal.objects.select_related("department", "region", "batch", "merged_into").get(
            pk=appeal.pk
        )
    return Status(201 if created else 200, out(appeal, [] if created and not files else None, viewer=user))


@router.get("/", response=list[AppealOut], summary="诉求列表（按权限范围）", url_name="appeals_list")
def list_appeals(
    request: HttpRequest, status: str = "", mine: bool = False, limit: int = 50, offset: int = 0
):
    """``mine=true``: the orders this account filed (the 12345 hotline's own), wherever they went."""
    api_require_roles(request, *CREATORS)
    user = _user(request)
    base = selectors.appeals_filed_by(user) if mine else selectors.appeals_for_user(user)
    qs = base.select_related("batch", "merged_into").prefetch_related("attachments")
    if status:
        qs = qs.filter(status=status)
    limit = max(1, min(limit, 500))
    return [out(a, viewer=user) for a in qs.order_by("-submitted_at", "-pk")[offset : offset + limit]]


@router.get("/route", response=RouteOut, summary="分办建议", url_name="appeals_route")
def route(request: HttpRequest, text: str = "", region: str = "370306"):
    api_require_roles(request, "department", "leader", "admin")
    from tongchou.regions.models import Region

    reg = Region.objects.filter(code=region).first()
    if reg is None:
        raise NotFound(f"区划代码“{region}”不存在。")
    result = services.suggest_route(text=text, region=reg)
    best = result.best
    return {
        "department": best.department if best else None,
        "category": result.category,
        "confidence": result.confidence,
        "candidates": [
            {"department": c.department, "id": c.key, "score": c.score} for c in result.candidates
        ],
    }


@router.get("/{number}", response=AppealOut, summary="诉求详情", url_name="appeals_detail")
def get_appeal(request: HttpRequest, number: str):
    api_require_roles(request, *CREATORS)
    user = _user(request)
    return out(selectors.appeal_for_user_or_filer(user, number), viewer=user)


@router.patch(
    "/{number}",
    response=AppealOut,
    summary="补充诉求（12345 回访补充内容、更正电话）",
    url_name="appeals_detail",
)
def update_appeal(request: HttpRequest, number: str, payload: AppealUpdateIn):
    user = _user(request)
    api_require_roles(request, "department", "leader", "admin")
    appeal = selectors.appeal_for_user_or_filer(user, number)
    from tongchou.appeals.permissions import is_dispatcher

    if appeal.client != f"user:{user.pk}" and not is_dispatcher(user, appeal):
        raise NotFound("没有找到该诉求，或您无权查看。")
    appeal = services.appeal_update_external(
        appeal=appeal, actor=user, text_addition=payload.text_addition, contact_phone=payload.contact_phone
    )
    return out(appeal)


@router.post(
    "/{number}/attachments",
    response={201: list[AttachmentOut]},
    summary="上传附件（multipart/form-data，字段 files，可多个）",
    url_name="appeals_attachments",
)
def add_attachments(request: HttpRequest, number: str, files: File[list[UploadedFile]]):
    user = _user(request)
    api_require_roles(request, *CREATORS)
    appeal = selectors.appeal_for_user_or_filer(user, number)
    saved = services.appeal_attach(appeal=appeal, actor=user, files=files)
    return Status(201, [attachment_out(appeal, a) for a in saved])


@router.get(
    "/{number}/attachments/{attachment_id}",
    summary="下载附件",
    url_name="appeals_attachment",
)
def get_attachment(request: HttpRequest, number: str, attachment_id: int):
    api_require_roles(request, *CREATORS)
    appeal = selectors.appeal_for_user_or_filer(_user(request), number)
    return selectors.attachment_download(appeal, attachment_id)


@router.get("/{number}/phone", summary="查看完整联系电话（记录审计）", url_name="appeals_phone")
def phone(request: HttpRequest, number: str):
    user = _user(request)
    api_require_roles(request, "department", "leader", "admin")
    appeal = selectors.appeal_for_user(user, number)
    return {"phone": selectors.contact_phone_unmasked(user, appeal, ip=client_ip(request))}


@router.get("/{number}/events", summary="办理记录", url_name="appeals_events")
def events(request: HttpRequest, number: str):
    api_require_roles(request, *CREATORS)
    appeal = selectors.appeal_for_user_or_filer(_user(request), number)
    return [
        {
            "at": e.at,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": e.actor_label,
            "from_department": e.from_department.name if e.from_department_id else None,
            "to_department": e.to_department.name if e.to_department_id else None,
            "reason": e.reason,
        }
        for e in appeal.events.select_related("from_department", "to_department")
    ]


@router.post(
    "/{number}/actions/{action}",
    response=AppealOut,
    summary="办理操作：dispatch/accept/answer/rate/close/transfer/return/merge/reopen",
    url_name="appeals_action",
)
def do_action(request: HttpRequest, number: str, action: str, payload: ActionIn):
    user = _user(request)
    api_require_roles(request, *CREATORS)
    appeal = selectors.appeal_for_user(user, number)
    try:
        act = Action(action)
    except ValueError as exc:
        raise NotFound(f"未知的操作“{action}”。", code="unknown_action", detail={"action": action}) from exc

    def dept():
        from tongchou.regions.models import Department

        d = Department.objects.filter(pk=payload.department_id).first() if payload.department_id else None
        if d is None:
            raise ValidationFailed("请指定承办部门 department_id。", detail={"field": "department_id"})
        return d

    if act is Action.DISPATCH:
        appeal = services.appeal_dispatch(appeal=appeal, department=dept(), actor=user, reason=payload.reason)
    elif act is Action.ACCEPT:
        appeal = services.appeal_accept(appeal=appeal, actor=user, note=payload.reason)
    elif act is Action.ANSWER:
        appeal = services.appeal_answer(appeal=appeal, actor=user, answer=payload.answer)
    elif act is Action.RATE:
        appeal = services.appeal_rate(
            appeal=appeal, actor=user, rating=payload.rating, comment=payload.comment
        )
    elif act is Action.CLOSE:
        appeal = services.appeal_close(appeal=appeal, actor=user, reason=payload.reason)
    elif act is Action.TRANSFER:
        appeal = services.appeal_transfer(appeal=appeal, actor=user, department=dept(), reason=payload.reason)
    elif act is Action.RETURN:
        appeal = services.appeal_return(appeal=appeal, actor=user, reason=payload.reason)
    elif act is Action.MERGE:
        into = selectors.appeal_for_user(user, payload.into)
        appeal = services.appeal_merge(appeal=appeal, into=into, actor=user, reason=payload.reason)
    elif act is Action.REOPEN:
        appeal = services.appeal_reopen(appeal=appeal, actor=user, reason=payload.reason)
    appeal = Appeal.objects.select_related("department", "region", "batch", "merged_into").get(pk=appeal.pk)
    return out(appeal, viewer=user)
