"""Notifications: stored in-app, then handed to the configured senders after commit.

SMS and e-mail gateways differ per government; they all implement ``Sender.send``. The default
``ConsoleSender`` logs, so a demo works with no gateway at all.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from tongchou.core.models import Notification

log = logging.getLogger("tongchou.notifications")


class Sender(Protocol):
    def send(self, notification: Notification) -> None: ...


class ConsoleSender:
    """Writes the notification to the log instead of an SMS/e-mail gateway."""

    def send(self, notification: Notification) -> None:
        to = notification.user or notification.enterprise
        log.info("通知 → %s：%s", to, notification.title)


def _senders() -> list[Sender]:
    return [import_string(path)() for path in settings.TONGCHOU_SENDERS]


def notify(
    *,
    title: str,
    body: str = "",
    user: Any = None,
    enterprise: Any = None,
    kind: str = "",
    link: str = "",
) -> Notification:
    """Store a notification and send it once the surrounding transaction commits."""
    if user is None and enterprise is None:
        raise ValueError("notify() needs a user or an enterprise")
    note = Notification.objects.create(
        user=user, enterprise=enterprise, kind=kind, title=title, body=body, link=link
    )
    _send_after_commit([note])
    return note


def notify_users(
    users: list[Any], *, title: str, body: str = "", kind: str = "", link: str = ""
) -> list[Notification]:
    """The same message to several users in one INSERT (a department's staff on a new order: this
    runs inside the submission's transaction, where each extra statement is felt)."""
    if not users:
        return []
    notes = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, title=title, body=body, link=link) for u in users]
    )
    _send_after_commit(notes)
    return notes


def _send_after_commit(notes: list[Notification]) -> None:
    """Hand stored notifications to the senders once the transaction commits: a rolled-back change
    sends nothing, and a gateway outage never undoes what was stored."""

    def send() -> None:
        senders = _senders()
        for note in notes:
            for sender in senders:
                try:
                    sender.send(note)
                except Exception:  # a gateway outage must not undo the stored notification
                    log.exception("发送通知失败：%s", note.pk)

    transaction.on_commit(send)


def notifications_for(user: Any):
    """The user's own notifications plus those addressed to their enterprise."""
    from django.db.models import Q

    q = Q(user=user)
    if getattr(user, "enterprise_id", None):
        q |= Q(enterprise_id=user.enterprise_id)
    return Notification.objects.filter(q)
