"""Writes on appeals. Each state move is one ``core.workflow.transition`` over ``states.WORKFLOW``
(lock, permission, state table, changes, AppealEvent + audit entry in one transaction,
notifications sent after commit); submission keeps its own short path (8 queries).

An appeal is acknowledged (HTTP 201, the page with its number) only after ``appeal_submit``
returns, i.e. after its transaction committed: an acknowledged order is never lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from tongchou.appeals import permissions
from tongchou.appeals.models import (
    Appeal,
    AppealEvent,
    Attachment,
    Batch,
    Category,
    Channel,
    DeadlinePolicy,
)
from tongchou.appeals.routing import RoutingResult, default_categories, should_auto_dispatch
from tongchou.appeals.routing_db import (
    auto_dispatch_min_score,
    auto_dispatch_threshold,
    router_for_region,
    routing_department,
)
from tongchou.appeals.states import ACTION_LABELS, WORKFLOW, Action, Rating, Status
from tongchou.core import clock
from tongchou.core.audit import audit_record
from tongchou.core.cache import process_cache
from tongchou.core.errors import NotFound, PermissionDenied, ValidationFailed
from tongchou.core.models import AuditEntry
from tongchou.core.notifications import notify, notify_users
from tongchou.core.workflow.engine import actor_label, may, record_event, transition
from tongchou.core.workflow.engine import lock as workflow_lock
from tongchou.workdays.services import calendar as workday_calendar

log = logging.getLogger(__name__)

MAX_TEXT = 5000
MIN_TEXT = 5
ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
REGION_LETTERS = {"3703": "ZB", "3701": "JN", "3714": "DZ", "3702": "QD"}


# --- helpers -------------------------------------------------------------------------------------


def region_letters(region: Any) -> str:
    letters = REGION_LETTERS.get(region.code[:4])
    if letters:
        return letters
    pinyin = (getattr(region, "pinyin", "") or "").strip()
    return (pinyin[:2] or "TC").upper()


def appeal_number_for(appeal: Appeal) -> str:
    """ZB20200321-000123: region letters, local submission date, global sequence (the row id).

    The id comes from the database's own sequence, so two concurrent submissions can never get
    the same number, on PostgreSQL or SQLite, without a counter table or a lock.
    """
    day = clock.localize(appeal.submitted_at).strftime("%Y%m%d")
    return f"{region_letters(appeal.region)}{day}-{appeal.pk:06d}"


_deadline_policies = process_cache(
    "appeals.deadline_policies", ttl=60, invalidated_by=["appeals.DeadlinePolicy"]
)


def clear_deadline_cache(*args: Any, **kwargs: Any) -> None:
    _deadline_policies.clear()


def _policies() -> list[tuple[str, str | None, int, int]]:
    """All DeadlinePolicy rows (a handful), kept for a minute; dropped when one is saved or deleted."""
    return _deadline_policies.get(
        "all",
        lambda: list(
            DeadlinePolicy.objects.values_list("category", "region_id", "feedback_days", "resolution_days")
        ),
    )


def deadline_days(category: str, region: Any) -> tuple[int, int]:
    """(feedback, resolution) working days: the most specific DeadlinePolicy, else the defaults.

    Specificity: the nearest region first (the region itself, then its ancestors, then "any
    region"), and within one region a row for the category before a row for any category.
    """
    codes = region.ancestor_codes()  # nearest first; the tree is cached per process
    rows = [r for r in _policies() if r[0] in (category, "") and (r[1] is None or r[1] in codes)]

    def rank(r: tuple[str, str | None, int, int]) -> tuple[int, int]:
        depth = codes.index(r[1]) if r[1] else len(codes)
        return (depth, 0 if r[0] else 1)

    if rows:
        best = min(rows, key=rank)
        return best[2], best[3]
    default = next((c for c in default_categories() if c.code == category), None)
    return (default.feedback_days, default.resolution_days) if default else (2, 10)


def compute_deadlines(category: str, region: Any, start: datetime) -> tuple[datetime, datetime]:
    feedback, resolution = deadline_days(category, region)
    cal = workday_calendar()
    local = clock.localize(start)
    return cal.deadline(local, feedback), cal.deadline(local, resolution)


_label = actor_label


def _lock(appeal: Appeal) -> Appeal:
    """Re-read the row under a lock (for writes that are not state moves: follow-ups, uploads)."""
    return workflow_lock(WORKFLOW, appeal)


def _notify_department(appeal: Appeal, title: str, body: str = "") -> list[int]:
    from tongchou.accounts.models import User

    if not appeal.department_id:
        return []
    users = list(User.objects.filter(department_id=appeal.department_id, is_active=True))
    notify_users(users, title=title, body=body, kind="appeal", link=f"/appeals/{appeal.number}/")
    return [u.pk for u in users]


def _notify_submitter(appeal: Appeal, title: str, body: str = "") -> None:
    if appeal.submitter_id:
        notify(
            user=appeal.submitter, title=title, body=body, kind="appeal", link=f"/appeals/{appeal.number}/"
        )
    elif appeal.enterprise_id:
        notify(
            enterprise=appeal.enterprise,
            title=title,
            body=body,
            kind="appeal",
            link=f"/appeals/{appeal.number}/",
        )


# --- submission ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    name: str
    content: bytes
    content_type: str = ""


# What each allowed type's first bytes must be: the extension alone is the sender's claim, and a
# handler opens these files on a government desktop. Office's new formats are zip files, its old
# ones OLE2 compound files; text has no signature, so it must decode and hold no NUL byte.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
_TYPE_NAMES = {
    ".pdf": "PDF",
    ".jpg": "JPG 图片",
    ".jpeg": "JPG 图片",
    ".png": "PNG 图片",
    ".docx": "Word",
    ".xlsx": "Excel",
    ".doc": "Word",
    ".xls": "Excel",
    ".txt": "文本",
}


def _head(f: Any, n: int = 4096) -> bytes:
    """The first bytes of an upload, leaving a file object where it was."""
    if isinstance(f, UploadedFile):
        return f.content[:n]
    f.seek(0)
    head = f.read(n)
    f.seek(0)
    return head


def _content_matches(ext: str, head: bytes) -> bool:
    if ext == ".txt":
        if b"\x00" in head:
            return False
        for encoding in ("utf-8", "gb18030"):
            try:
                head.decode(encoding)
                return True
            except UnicodeDecodeError as exc:
                if exc.start >= len(head) - 3:  # a character cut by the 4 KB window
                    return True
        return False
    return head.startswith(_SIGNATURES[ext])


def validate_attachments(files: Sequence[Any], *, already: int = 0) -> None:
    """Count, type (by extension and by the file's own first bytes) and size; the message names
    the file. *already* is how many the order holds when files are added later."""
    if already + len(files) > MAX_ATTACHMENTS:
        held = f"已有 {already} 个，" if already else ""
        raise ValidationFailed(
            f"每件诉求附件最多 {MAX_ATTACHMENTS} 个，{held}收到 {len(files)} 个。",
            detail={"field": "attachments"},
        )
    for i, f in enumerate(files, start=1):
        name = getattr(f, "name", "") or ""
        ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if ext not in ALLOWED_ATTACHMENT_TYPES:
            raise ValidationFailed(
                f"第 {i} 个附件“{name}”的类型不支持；请上传 PDF、图片（JPG/PNG）、Word、Excel 或 TXT。",
                detail={"field": "attachments", "index": i, "name": name},
            )
        size = getattr(f, "size", None)
        if size is None:
            size = len(getattr(f, "content", b""))
        if size > MAX_ATTACHMENT_BYTES:
            raise ValidationFailed(
                f"第 {i} 个附件“{name}”大小 {size / 1048576:.1f} MB，超过 10 MB 上限。",
                detail={"field": "attachments", "index": i, "name": name},
            )
        if size == 0:
            raise ValidationFailed(
                f"第 {i} 个附件“{name}”是空文件。", detail={"field": "attachments", "index": i, "name": name}
            )
        if not _content_matches(ext, _head(f)):
            raise ValidationFailed(
                f"第 {i} 个附件“{name}”的内容不是{_TYPE_NAMES[ext]}文件，与扩展名不符；请上传原始文件。",
                detail={"field": "attachments", "index": i, "name": name},
            )


def validate_media_url(url: str) -> str:
    """Open311's media_url: stored as a link for the handler, never fetched by the server."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 500:
        raise ValidationFailed("媒体链接 media_url 超过 500 个字符。", detail={"field": "media_url"})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationFailed(
            f"媒体链接 media_url “{url[:80]}” 不是有效的 http(s) 地址。", detail={"field": "media_url"}
        ) from None
    return url


@contextmanager
def _files_removed_on_failure() -> Iterator[list[Attachment]]:
    """File storage is not part of the transaction: when the order's transaction fails after its
    files were written (a constraint, a replay, a crash of a later statement), remove them, so a
    refused submission leaves nothing behind on disk either. Enter it outside the atomic block."""
    written: list[Attachment] = []
    try:
        yield written
    except BaseException:
        for att in written:
            try:
                att.file.delete(save=False)
            except OSError:
                log.warning("未能删除回滚诉求的附件文件 %s", att.file.name, exc_info=True)
        raise


def _save_attachments(
    appeal: Appeal, files: Sequence[Any], written: list[Attachment] | None = None
) -> list[Attachment]:
    """Store the files; each one is appended to *written* as soon as it is on disk."""
    from django.core.files.base import ContentFile

    saved = written if written is not None else []
    for f in files:
        name = f.name.replace("/", "_").replace("\\", "_")[-150:]
        ext = "." + name.rsplit(".", 1)[-1].lower()
        if isinstance(f, UploadedFile):
            content, size = ContentFile(f.content, name=name), len(f.content)
        else:
            content, size = f, f.size
        att = Attachment(appeal=appeal, name=name, content_type=ALLOWED_ATTACHMENT_TYPES[ext], size=size)
        att.file.save(name, content, save=False)
        att.save()
        saved.append(att)
    return saved


def suggest_route(*, text: str, region: Any) -> RoutingResult:
    return router_for_region(region).route(text)


def appeal_submit(
    *,
    text: str,
    region: Any,
    channel: str = Channel.WEB,
    submitter: Any = None,
    contact_name: str = "",
    contact_phone: str = "",
    enterprise: Any = None,
    category: str = "",
    title: str = "",
    client: str = "",
    idempotency_key: str = "",
    external_id: str = "",
    address: str = "",
    lat: float | None = None,
    long: float | None = None,
    measure_ids: Sequence[Any] = (),
    attachments: Sequence[Any] = (),
    media_url: str = "",
    auto_dispatch: bool = True,
) -> tuple[Appeal, bool]:
    """Store a new appeal; returns (appeal, created). Same (client, idempotency_key) → the same appeal.

    Routing is suggested from the text; above the confidence threshold the appeal is dispatched at
    once (in the same transaction), otherwise it waits in the dispatcher's queue.
    """
    # A replay answers with the stored order before anything else is checked. The first submission
    # is the common case, so it is not looked up first: the unique (client, key) constraint refuses
    # the INSERT of a replay, and a replay that would fail validation is looked up before failing.
    key = (idempotency_key or "").strip()[:100]
    try:
        _validate_submission(
            text=text, category=category, phone=contact_phone, submitter=submitter, attachments=attachments
        )
        media_url = validate_media_url(media_url)
    except ValidationFailed:
        existing = _replayed(client, key)
        if existing is not None:
            return existing, False
        raise
    text = (text or "").strip()
    phone = (contact_phone or "").strip()
    route = suggest_route(text=text, region=region)
    best = route.best
    auto = (
        auto_dispatch
        and best is not None
        and best.key is not None
        and should_auto_dispatch(
            route, threshold=auto_dispatch_threshold(), min_score=auto_dispatch_min_score()
        )
    )
    department = routing_department(region, best.key) if auto else None
    try:
        with _files_removed_on_failure() as written, transaction.atomic():
            appeal = _insert_appeal(
                auto=auto,
                department=department,
                department_id=best.key if auto else None,
                route=route,
                channel=channel,
                client=client,
                key=key,
                external_id=external_id,
                submitter=submitter,
                contact_name=contact_name,
                phone=phone,
                enterprise=enterprise,
                region=region,
                category=category,
                title=title,
                text=text,
                address=address,
                lat=lat,
                long=long,
                measure_ids=measure_ids,
                media_url=media_url,
            )
            _save_attachments(appeal, attachments, written)
            now = appeal.submitted_at
            events = [
                AppealEvent(
                    appeal=appeal,
                    at=now,
                    actor=submitter if getattr(submitter, "is_authenticated", False) else None,
                    actor_label=_label(submitter, contact_name or Channel(channel).label),
                    action="submit",
                    from_status="",
                    to_status=Status.SUBMITTED,
                    to_department_id=None,
                    reason="",
                    detail={"channel": channel},
                )
            ]
            if auto:
                events.append(
                    AppealEvent(
                        appeal=appeal,
                        at=now,
                        actor=None,
                        actor_label="系统",
                        action=Action.DISPATCH,
                        from_status=Status.SUBMITTED,
                        to_status=appeal.status,
                        to_department_id=appeal.department_id,
                        reason=f"自动分办（置信度 {route.confidence:.2f}）",
                        detail={},
                    )
                )
            # one INSERT for the events and one for their audit entries (same rows as _event())
            AppealEvent.objects.bulk_create(events)
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor=ev.actor,
                        action=f"appeal.{ev.action}",
                        object_type=appeal._meta.label_lower,
                        object_id=str(appeal.pk),
                        detail={"number": appeal.number, "reason": ev.reason},
                    )
                    for ev in events
                ]
            )
            if auto:
                _notify_department(appeal, f"新诉求待办：{appeal.number}", appeal.text[:200])
    except IntegrityError:
        existing = _replayed(client, key)
        if existing is not None:
            return existing, False
        raise
    return appeal, True


def _replayed(client: str, key: str) -> Appeal | None:
    if not key:
        return None
    return Appeal.objects.filter(client=client, idempotency_key=key).first()


def _validate_submission(
    *, text: str, category: str, phone: str, submitter: Any, attachments: Sequence[Any]
) -> None:
    text = (text or "").strip()
    if len(text) < MIN_TEXT:
        raise ValidationFailed(
            f"诉求内容太短（至少 {MIN_TEXT} 个字），请说明遇到的问题。", detail={"field": "text"}
        )
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            f"诉求内容超过 {MAX_TEXT} 字，请精简或作为附件上传。", detail={"field": "text"}
        )
    if category and category not in Category.values:
        raise ValidationFailed(f"类别“{category}”不存在。", detail={"field": "category"})
    phone = (phone or "").strip()
    if submitter is None and not phone:
        raise ValidationFailed(
            "请填写联系电话，便于承办部门两个工作日内与您联系。", detail={"field": "contact_phone"}
        )
    if phone and not (7 <= len([c for c in phone if c.isdigit()]) <= 15):
        raise ValidationFailed(f"联系电话“{phone}”格式不正确。", detail={"field": "contact_phone"})
    validate_attachments(attachments)


def _insert_appeal(
    *,
    auto: bool,
    department: Any,
    department_id: int | None,
    route: RoutingResult,
    key: str,
    phone: str,
    **f: Any,
) -> Appeal:
    """INSERT the order (already dispatched when auto: one write less; its history still shows the
    two steps), then set its number, which needs the row id."""
    now = clock.now()
    category = f["category"] or route.category
    feedback_due, resolution_due = compute_deadlines(category, f["region"], now)
    submitter = f["submitter"]
    appeal = Appeal(
        channel=f["channel"],
        client=f["client"],
        idempotency_key=key,
        external_id=f["external_id"],
        submitter=submitter if getattr(submitter, "is_authenticated", False) else None,
        contact_name=f["contact_name"].strip()[:64],
        contact_phone=phone[:20],
        enterprise=f["enterprise"],
        region=f["region"],
        category=category,
        title=f["title"].strip()[:100],
        text=f["text"],
        address=f["address"][:200],
        lat=f["lat"],
        long=f["long"],
        media_url=f["media_url"],
        measure_ids=list(f["measure_ids"]),
        submitted_at=now,
        feedback_due=feedback_due,
        resolution_due=resolution_due,
        status=WORKFLOW.target_of(Status.SUBMITTED, Action.DISPATCH) if auto else Status.SUBMITTED,
        dispatched_at=now if auto else None,
        routing={
            "category": route.category,
            "confidence": route.confidence,
            "candidates": [
                {"department": c.department, "id": c.key, "score": c.score, "reasons": list(c.reasons)}
                for c in route.candidates[:5]
            ],
        },
    )
    if department is not None:
        appeal.department = department  # cached with the router: no query to show its name
    else:
        appeal.department_id = department_id
    appeal.save(force_insert=True)
    appeal.number = appeal_number_for(appeal)
    Appeal.objects.filter(pk=appeal.pk).update(number=appeal.number)
    return appeal


# --- transitions ---------------------------------------------------------------------------------
# Each is one call into core.workflow.transition (lock, permission from permissions.may, the state
# table and guards of states.WORKFLOW, field changes, save, AppealEvent + audit entry, notifications
# sent after commit); what is left here is what is particular to the action.


def _department_in_region(department: Any, appeal: Appeal) -> None:
    if department is None:
        raise ValidationFailed("请选择承办部门。", detail={"field": "department"})
    region_code = department.region_id
    if not (appeal.region_id.startswith(region_code[:4]) or region_code.startswith(appeal.region_id[:4])):
        raise ValidationFailed(f"“{department.name}”不属于该诉求所在地区。", detail={"field": "department"})


def appeal_dispatch(*, appeal: Appeal, department: Any, actor: Any, reason: str = "") -> Appeal:
    def changes(a: Appeal) -> dict[str, Any]:
        _department_in_region(department, a)
        return {"department": department, "dispatched_at": clock.now()}

    return transition(
        WORKFLOW,
        appeal,
        Action.DISPATCH,
        actor=actor,
        reason=reason,
        changes=changes,
        actor_label_fallback="系统",
        notify=lambda a, move: _notify_department(a, f"新诉求待办：{a.number}", a.text[:200]),
    )


def appeal_accept(*, appeal: Appeal, actor: Any, note: str = "") -> Appeal:
    """The handler has contacted the submitter: this is the feedback the 2-day deadline asks for."""
    return transition(
        WORKFLOW,
        appeal,
        Action.ACCEPT,
        actor=actor,
        reason=note,
        changes=lambda a: {"feedback_at": a.feedback_at or clock.now()},
        notify=lambda a, move: _notify_submitter(
            a, f"您的诉求 {a.number} 已受理", note or f"{a.department} 已受理您的诉求。"
        ),
    )


def appeal_answer(*, appeal: Appeal, actor: Any, answer: str) -> Appeal:
    answer = (answer or "").strip()
    if len(answer) < 2:
        raise ValidationFailed("请填写答复内容。", detail={"field": "answer"})
    return transition(
        WORKFLOW,
        appeal,
        Action.ANSWER,
        actor=actor,
        reason=answer[:500],
        changes=lambda a: {"answer": answer[:MAX_TEXT], "answered_at": clock.now()},
        notify=lambda a, move: _notify_submitter(a, f"您的诉求 {a.number} 已答复，请评价", answer[:200]),
    )


def appeal_rate(
    *, appeal: Appeal, actor: Any, rating: str, comment: str = "", public_verified: bool = False
) -> Appeal:
    try:
        value = Rating(rating)
    except ValueError as exc:
        raise ValidationFailed("评价须为满意、基本满意或不满意。", detail={"field": "rating"}) from exc
    if value is Rating.DISSATISFIED and not comment.strip():
        raise ValidationFailed("选择“不满意”时请说明原因。", detail={"field": "comment"})

    def notify(a: Appeal, move: Any) -> None:
        if value is Rating.DISSATISFIED:
            _notify_department(a, f"诉求 {a.number} 被评为不满意", comment[:200])

    return transition(
        WORKFLOW,
        appeal,
        Action.RATE,
        actor=actor,
        reason=comment,
        detail={"rating": value.value},
        params={"public_verified": public_verified},
        changes=lambda a: {
            "rating": value.value,
            "rating_comment": comment.strip()[:500],
            "rated_at": clock.now(),
        },
        actor_label_fallback=appeal.contact_name or "提交人",
        notify=notify,
    )


def appeal_close(*, appeal: Appeal, actor: Any, reason: str = "") -> Appeal:
    return transition(
        WORKFLOW, appeal, Action.CLOSE, actor=actor, reason=reason, changes={"closed_at": clock.now()}
    )


def appeal_transfer(*, appeal: Appeal, actor: Any, department: Any, reason: str) -> Appeal:
    """Pass the order to another department, with a reason. Deadlines keep running."""

    def changes(a: Appeal) -> dict[str, Any]:
        _department_in_region(department, a)
        if department.pk == a.department_id:
            raise ValidationFailed("转办的目标部门不能是当前承办部门。", detail={"field": "department"})
        return {"department": department, "dispatched_at": clock.now()}

    return transition(
        WORKFLOW,
        appeal,
        Action.TRANSFER,
        actor=actor,
        reason=reason,
        changes=changes,
        notify=lambda a, move: _notify_department(a, f"转办诉求待办：{a.number}", f"转办原因：{reason}"),
    )


def appeal_return(*, appeal: Appeal, actor: Any, reason: str) -> Appeal:
    """Send the order back to the dispatcher's queue (not ours, wrong region, …)."""
    return transition(
        WORKFLOW, appeal, Action.RETURN, actor=actor, reason=reason, changes={"department": None}
    )


def appeal_merge(*, appeal: Appeal, into: Appeal, actor: Any, reason: str) -> Appeal:
    """Mark *appeal* a duplicate of *into*; the survivor is handled, the duplicate follows it."""
    if appeal.pk == into.pk:
        raise ValidationFailed("不能把诉求合并到它自己。", detail={"field": "into"})
    with transaction.atomic():
        # both rows locked (in id order) before either is checked; transition() re-locks its own
        locked = {
            a.pk: a
            for a in Appeal.objects.select_for_update().filter(pk__in=[appeal.pk, into.pk]).order_by("pk")
        }
        appeal, into = locked[appeal.pk], locked[into.pk]
        if not may(WORKFLOW, Action.MERGE, actor, into):
            raise PermissionDenied(f"您无权对该诉求执行“{ACTION_LABELS[Action.MERGE]}”。")
        if into.status in (Status.MERGED, Status.CLOSED):
            raise ValidationFailed(
                f"目标诉求 {into.number} 已{into.status_label}，不能作为合并目标。", detail={"field": "into"}
            )
        return transition(
            WORKFLOW,
            appeal,
            Action.MERGE,
            actor=actor,
            reason=reason,
            detail={"into": into.number},
            changes={"merged_into": into, "closed_at": clock.now()},
            notify=lambda a, move: _notify_submitter(
                a, f"您的诉求 {a.number} 已与 {into.number} 合并办理", reason
            ),
        )


def appeal_reopen(*, appeal: Appeal, actor: Any, reason: str, public_verified: bool = False) -> Appeal:
    """After 不满意: back to the same department with fresh deadlines counted from now."""

    def changes(a: Appeal) -> dict[str, Any]:
        if a.department_id is None:
            raise ValidationFailed("该诉求没有承办部门，请先分办。")
        now = clock.now()
        feedback_due, resolution_due = compute_deadlines(a.category, a.region, now)
        return {
            "reopen_count": a.reopen_count + 1,
            "dispatched_at": now,
            "feedback_at": None,
            "answered_at": None,
            "feedback_due": feedback_due,
            "resolution_due": resolution_due,
        }

    return transition(
        WORKFLOW,
        appeal,
        Action.REOPEN,
        actor=actor,
        reason=reason,
        params={"public_verified": public_verified},
        changes=changes,
        actor_label_fallback="提交人",
        notify=lambda a, move: _notify_department(a, f"诉求 {a.number} 重新办理", reason[:200]),
    )


def appeal_update_external(
    *, appeal: Appeal, actor: Any, text_addition: str = "", contact_phone: str = ""
) -> Appeal:
    """The 12345 hotline adds to an order it created (a follow-up call); recorded in the history."""
    with transaction.atomic():
        appeal = _lock(appeal)
        if appeal.status in (Status.CLOSED, Status.MERGED):
            raise ValidationFailed(f"诉求已{appeal.status_label}，不能补充。")
        fields = []
        if text_addition.strip():
            appeal.text = f"{appeal.text}\n【补充 {clock.now():%Y-%m-%d %H:%M}】{text_addition.strip()}"[
                : MAX_TEXT + 2000
            ]
            fields.append("text")
        if contact_phone.strip():
            appeal.contact_phone = contact_phone.strip()[:20]
            fields.append("contact_phone")
        if fields:
            appeal.save(update_fields=fields)
            record_event(WORKFLOW, appeal, "update", actor=actor, reason=text_addition[:500])
        return appeal


def may_attach(user: Any, appeal: Appeal) -> bool:
    """Who may add files to an order: its submitter (or enterprise), the system that created it
    (the 12345 hotline's token), its handler and the dispatchers of its region."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        permissions.is_submitter(user, appeal)
        or appeal.client == f"user:{user.pk}"
        or permissions.is_handler(user, appeal)
        or permissions.is_dispatcher(user, appeal)
    )


def appeal_attach(*, appeal: Appeal, actor: Any, files: Sequence[Any]) -> list[Attachment]:
    """Add files to an existing order (photos sent after a hotline call, a handler's scan); the
    history records who added which. All or none: a bad file refuses the whole request."""
    if not files:
        raise ValidationFailed("请选择要上传的附件。", detail={"field": "attachments"})
    with _files_removed_on_failure() as written, transaction.atomic():
        appeal = _lock(appeal)
        if not may_attach(actor, appeal):
            raise PermissionDenied("您无权为该诉求上传附件。")
        if appeal.status in (Status.CLOSED, Status.MERGED):
            raise ValidationFailed(f"诉求已{appeal.status_label}，不能再上传附件。")
        validate_attachments(files, already=appeal.attachments.count())
        saved = _save_attachments(appeal, files, written)
        names = "、".join(a.name for a in saved)
        record_event(WORKFLOW, appeal, "attach", actor=actor, reason=f"上传附件：{names}")
        return saved


ACTIONS = {
    Action.ACCEPT: appeal_accept,
    Action.ANSWER: appeal_answer,
    Action.CLOSE: appeal_close,
    Action.RETURN: appeal_return,
}


# --- batches -------------------------------------------------------------------------------------


def batch_issue(
    *, region: Any, appeals: Sequence[Appeal], actor: Any, title: str, addressee: str = ""
) -> Batch:
    """Issue the selected appeals upward as the region's next numbered batch (第N批)."""
    if not appeals:
        raise ValidationFailed("请至少选择一件诉求。", detail={"field": "appeals"})
    if not title.strip():
        raise ValidationFailed("请填写批次标题。", detail={"field": "title"})
    for a in appeals:
        if not permissions.is_dispatcher(actor, a):
            raise NotFound("没有找到该诉求，或您无权查看。", detail={"number": a.number})
    for attempt in range(5):
        try:
            with transaction.atomic():
                # the unique (region, number) constraint settles a race; the loser retries with N+1
                last = Batch.objects.filter(region=region).aggregate(m=Max("number"))["m"] or 0
                batch = Batch.objects.create(
                    region=region,
                    number=last + 1,
                    title=title.strip()[:200],
                    addressee=addressee.strip()[:100],
                    created_by=actor,
                )
                Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(batch=batch)
                audit_record(
                    actor=actor, action="appeal.batch_issue", obj=batch, detail={"count": len(appeals)}
                )
                return batch
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")
