"""Navigation for base.html: the apps' sections (``NAV`` of each provider) this role may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from tongchou.accounts.roles import role_of
from tongchou.core.notifications import notifications_for
from tongchou.core.providers import nav_entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = role_of(getattr(request, "user", None))
    items, footer = [], []
    for entry in nav_entries():
        if not entry.shown_to(role):
            continue
        item = {"label": entry.label, "url": reverse(entry.url_name), "active": False}
        items.append(item)
        if entry.footer:
            footer.append(item)
    # the deepest section containing the page is the active one (/appeals/figures/ is 统计分析, not 诉求办理)
    matching = [i for i in items if i["url"] != "/" and request.path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = notifications_for(user).filter(read_at__isnull=True).count()
    return {"nav_items": items, "footer_links": footer, "current_role": role, "unread_notifications": unread}
