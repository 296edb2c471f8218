"""Navigation for base.html: which sections the current user may open, decided by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from tongchou.accounts.roles import role_of

# (label, url name, roles that see it). Apps add their entries here when their pages exist.
NAV: list[tuple[str, str, set[str]]] = [
    ("首页", "core:home", {"anonymous", "enterprise", "department", "leader", "bank", "admin"}),
    ("政策库", "policies:list", {"anonymous", "enterprise", "department", "leader", "bank", "admin"}),
    ("我的企业", "enterprises:mine", {"enterprise"}),
    ("我可享受的政策", "rules:my_policies", {"enterprise"}),
    ("企业库", "enterprises:list", {"department", "leader", "admin"}),
    ("政策兑现", "rules:index", {"department", "leader", "admin"}),
    ("诉求办理", "appeals:index", {"enterprise", "department", "leader", "admin"}),
    ("我要反映", "appeals:public_new", {"anonymous"}),
    ("统计分析", "appeals:figures", {"department", "leader", "admin"}),
    ("系统管理", "admin:index", {"admin"}),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = role_of(getattr(request, "user", None))
    items = []
    for label, name, roles in NAV:
        if role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # the app has not built that page yet
        items.append({"label": label, "url": url, "active": False})
    # the deepest section containing the page is the active one (/appeals/figures/ is 统计分析, not 诉求办理)
    matching = [i for i in items if i["url"] != "/" and request.path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from tongchou.core.notifications import notifications_for

        unread = notifications_for(user).filter(read_at__isnull=True).count()
    return {"nav_items": items, "current_role": role, "unread_notifications": unread}
