"""Who may open the appeals URLs (pages, API, Open311). See tongchou/core/tests/test_access_matrix.py.

The fixture appeal is submitted by the test enterprise in Zhoucun and dispatched to the test
department, so every role's view of one real order is checked.
"""

from __future__ import annotations

from tongchou.accounts.tests.expect import api, everyone, page, row

_cache: dict[int, dict] = {}


def fixture(users) -> dict:
    """One dispatched appeal with an attachment, and one batch, per test (keyed by the users dict)."""
    key = id(users)
    if key in _cache and _cache[key]["user_pk"] == users["enterprise"].pk:
        return _cache[key]
    from tongchou.appeals import services
    from tongchou.appeals.models import Appeal

    ent_user = users["enterprise"]
    appeal, _ = services.appeal_submit(
        text="我公司货车在王村检查站被劝返，请协调通行证",
        region=ent_user.enterprise.region,
        submitter=ent_user,
        enterprise=ent_user.enterprise,
        contact_phone="13800001111",
        auto_dispatch=False,
        attachments=[services.UploadedFile("说明.txt", "情况说明".encode())],
    )
    services.appeal_dispatch(appeal=appeal, department=users["department"].department, actor=users["admin"])
    appeal = Appeal.objects.get(pk=appeal.pk)
    batch = services.batch_issue(
        region=appeal.region, appeals=[appeal], actor=users["admin"], title="测试批次"
    )
    _cache.clear()
    _cache[key] = {
        "number": appeal.number,
        "attachment": appeal.attachments.first().pk,
        "batch": batch.pk,
        "user_pk": ent_user.pk,
    }
    return _cache[key]


HANDLING_PAGE = page("enterprise", "department", "leader", "admin")
STAFF_PAGE = page("department", "leader", "admin")
DISPATCHER_PAGE = page("leader", "admin")
ALL_OK = everyone(200)

EXPECTED = {
    "appeals:index": HANDLING_PAGE,
    "appeals:new": page("enterprise"),
    "appeals:public_new": ALL_OK,
    "appeals:lookup": ALL_OK,
    "appeals:figures": STAFF_PAGE,
    "appeals:ledger": STAFF_PAGE,
    "appeals:ledger_xlsx": STAFF_PAGE,
    "appeals:batches": DISPATCHER_PAGE,
    "appeals:batch_xlsx": DISPATCHER_PAGE,
    "appeals:common": DISPATCHER_PAGE,
    "appeals:detail": HANDLING_PAGE,
    # POST-only: GET is refused (405) for those the role check lets through
    "appeals:act": page("enterprise", "department", "leader", "admin", ok=405),
    "appeals:phone": page("department", "leader", "admin", ok=405),
    "appeals:attachment": HANDLING_PAGE,
    "appeals:attach": page("enterprise", "department", "leader", "admin", ok=405),
    "open311:services": ALL_OK,
    "open311:requests": row(anonymous=401, default=401, department=200, leader=200, admin=200),
    "open311:request": row(anonymous=401, default=401, enterprise=200, department=200, leader=200, admin=200),
    "api:appeals_list": api("enterprise", "department", "leader", "admin"),
    "api:appeals_route": api("department", "leader", "admin"),
    "api:appeals_detail": api("enterprise", "department", "leader", "admin"),
    "api:appeals_phone": api("department", "leader", "admin"),
    "api:appeals_events": api("enterprise", "department", "leader", "admin"),
    "api:appeals_action": everyone(405),
    "api:appeals_attachments": everyone(405),
    "api:appeals_attachment": api("enterprise", "department", "leader", "admin"),
}


def _number(users):
    return {"number": fixture(users)["number"]}


KWARGS = {
    "appeals:batch_xlsx": lambda users: {"pk": fixture(users)["batch"]},
    "appeals:detail": _number,
    "appeals:act": lambda users: {"number": fixture(users)["number"], "action": "accept"},
    "appeals:phone": _number,
    "appeals:attachment": lambda users: {
        "number": fixture(users)["number"],
        "pk": fixture(users)["attachment"],
    },
    "appeals:attach": _number,
    "api:appeals_attachments": _number,
    "api:appeals_attachment": lambda users: {
        "number": fixture(users)["number"],
        "attachment_id": fixture(users)["attachment"],
    },
    "open311:request": _number,
    "api:appeals_detail": _number,
    "api:appeals_phone": _number,
    "api:appeals_events": _number,
    "api:appeals_action": lambda users: {"number": fixture(users)["number"], "action": "accept"},
}
