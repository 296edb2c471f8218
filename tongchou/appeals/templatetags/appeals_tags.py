from django import template

from tongchou.appeals.states import STATUS_LABELS, Status

register = template.Library()
BADGE = {
    "submitted": "badge-warn",
    "dispatched": "",
    "accepted": "",
    "answered": "badge-ok",
    "rated": "badge-ok",
    "closed": "badge-grey",
    "merged": "badge-grey",
}


@register.inclusion_tag("appeals/_status.html")
def status_badge(status: str):
    return {"label": STATUS_LABELS.get(Status(status), status), "css": BADGE.get(status, "")}


@register.simple_tag
def due_state(appeal, now):
    """'overdue' / 'soon' / '' for the feedback-or-resolution deadline that still runs."""
    if appeal.status in ("answered", "rated", "closed", "merged"):
        return ""
    due = appeal.resolution_due if appeal.feedback_at else appeal.feedback_due
    if due is None:
        return ""
    if due < now:
        return "overdue"
    if (due - now).total_seconds() < 24 * 3600:
        return "soon"
    return ""


@register.filter
def action_label(code: str) -> str:
    from tongchou.appeals.states import ACTION_LABELS, ESCALATION_LABELS, Action

    extra = {"submit": "提交", "update": "补充", "attach": "上传附件", **ESCALATION_LABELS}
    try:
        return ACTION_LABELS[Action(code)]
    except ValueError:
        return extra.get(code, code)


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value}%"
