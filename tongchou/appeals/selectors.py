"""Reads. A fetch that checks permission raises NotFound for both "missing" and "not yours"."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from tongchou.appeals.models import Appeal
from tongchou.appeals.permissions import may_see_phone, visible_appeals
from tongchou.core.audit import audit_record
from tongchou.core.errors import NotFound
from tongchou.core.masking import mask_phone


def appeals_for_user(user: Any) -> QuerySet:
    qs = Appeal.objects.select_related("department", "region", "enterprise", "submitter")
    return visible_appeals(user, qs)


def appeal_for_user(user: Any, number: str) -> Appeal:
    appeal = appeals_for_user(user).filter(number=number).first()
    if appeal is None:
        raise NotFound("没有找到该诉求，或您无权查看。", detail={"number": number})
    return appeal


def appeals_filed_by(user: Any) -> QuerySet:
    """The orders the user's own account filed through the API, wherever they were dispatched."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return Appeal.objects.select_related("department", "region", "enterprise", "submitter").filter(
        client=f"user:{user.pk}"
    )


def appeal_for_user_or_filer(user: Any, number: str) -> Appeal:
    """As :func:`appeal_for_user`, and also the orders the caller's own account filed: the 12345
    hotline files with a department account's token and must read an order's progress back after
    it was dispatched elsewhere. Reading only; what they may do is still the permission policy's."""
    try:
        return appeal_for_user(user, number)
    except NotFound:
        appeal = appeals_filed_by(user).filter(number=number).first()
        if appeal is not None:
            return appeal
        raise


def attachment_download(appeal: Appeal, pk: int) -> FileResponse:
    """One of the order's files as a download (the caller has already checked it may see the order)."""
    from tongchou.appeals.models import Attachment

    att = Attachment.objects.filter(appeal=appeal, pk=pk).first()
    if att is None:
        raise NotFound("没有找到该附件。")
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )


def _phone_matches(appeal: Appeal, phone: str) -> bool:
    stored = appeal.contact_phone or (appeal.submitter.phone if appeal.submitter_id else "")
    digits = "".join(ch for ch in phone if ch.isdigit())
    return bool(stored) and bool(digits) and "".join(ch for ch in stored if ch.isdigit()) == digits


def appeal_for_public(number: str, phone: str) -> Appeal:
    """The public's own appeal, by number and the phone it was submitted with."""
    appeal = (
        Appeal.objects.select_related("department", "region", "submitter")
        .filter(number=number.strip())
        .first()
    )
    if appeal is None or not _phone_matches(appeal, phone):
        raise NotFound("编号与手机号不匹配，请核对后再查询。")
    return appeal


def contact_phone_display(user: Any, appeal: Appeal) -> str:
    """Masked phone for everyone; handlers use :func:`contact_phone_unmasked` (audited)."""
    phone = appeal.contact_phone or (appeal.submitter.phone if appeal.submitter_id else "")
    return mask_phone(phone)


def contact_phone_unmasked(user: Any, appeal: Appeal, *, ip: str | None = None) -> str:
    """The full phone for the handler who must call back; every look is audited."""
    if not may_see_phone(user, appeal):
        raise NotFound("没有找到该诉求，或您无权查看。")
    phone = appeal.contact_phone or (appeal.submitter.phone if appeal.submitter_id else "")
    audit_record(
        actor=user,
        action="appeal.phone_unmasked",
        obj=appeal,
        detail={"number": appeal.number},
        ip_address=ip,
    )
    return phone


def open_appeal_counts(qs: QuerySet) -> dict[str, int]:
    """Of the orders in *qs*: how many are open, past their resolution deadline, and still waiting
    for the first contact past its deadline (one query)."""
    from django.db.models import Count, Q

    from tongchou.appeals.states import OPEN_STATUSES, Status
    from tongchou.core import clock

    now = clock.now()
    is_open = Q(status__in=list(OPEN_STATUSES))
    waiting = Q(status__in=[Status.SUBMITTED, Status.DISPATCHED])
    return qs.order_by().aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(resolution_due__lt=now)),
        feedback_overdue=Count("pk", filter=waiting & Q(feedback_due__lt=now)),
    )


def appeal_status_counts(qs: QuerySet) -> list[tuple[str, str, int]]:
    """(status, Chinese label, count) for every status, in the order of the workflow."""
    from django.db.models import Count

    from tongchou.appeals.states import STATUS_LABELS

    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return [(str(s), label, counts.get(str(s), 0)) for s, label in STATUS_LABELS.items()]


def overdue_by_department(qs: QuerySet, limit: int = 10) -> list[tuple[str, int]]:
    """Departments with the most open orders past their resolution deadline."""
    from django.db.models import Count

    from tongchou.appeals.states import OPEN_STATUSES
    from tongchou.core import clock

    rows = (
        qs.filter(status__in=list(OPEN_STATUSES), resolution_due__lt=clock.now(), department__isnull=False)
        .order_by()
        .values_list("department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__name")[:limit]
    )
    return [(name, n) for name, n in rows]
