"""Who may open the appeals URLs (pages, API, Open311). See tongchou/core/tests/test_access_matrix.py.

The fixture appeal is submitted by the test enterprise in Zhoucun and dispatched to the test
department, so every role's view of one real order is checked.
"""

from __future__ import annotations

ROLES = ["anonymous", "enterprise", "department", "leader", "bank", "admin"]


def row(anonymous, enterprise, department, leader, bank, admin):
    return dict(zip(ROLES, [anonymous, enterprise, department, leader, bank, admin], strict=True))


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


HANDLING_PAGE = row(302, 200, 200, 200, 403, 200)
STAFF_PAGE = row(302, 403, 200, 200, 403, 200)
DISPATCHER_PAGE = row(302, 403, 403, 200, 403, 200)
ALL_OK = row(200, 200, 200, 200, 200, 200)

EXPECTED = {
    "appeals:index": HANDLING_PAGE,
    "appeals:new": row(302, 200, 403, 403, 403, 403),
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
    "appeals:act": row(302, 405, 405, 405, 403, 405),
    "appeals:phone": row(302, 403, 405, 405, 403, 405),
    "appeals:attachment": HANDLING_PAGE,
    "appeals:attach": row(302, 405, 405, 405, 403, 405),
    "open311:services": ALL_OK,
    "open311:requests": row(401, 401, 200, 200, 401, 200),
    "open311:request": row(401, 200, 200, 200, 401, 200),
    "api:appeals_list": row(401, 200, 200, 200, 403, 200),
    "api:appeals_route": row(401, 403, 200, 200, 403, 200),
    "api:appeals_detail": row(401, 200, 200, 200, 403, 200),
    "api:appeals_phone": row(401, 403, 200, 200, 403, 200),
    "api:appeals_events": row(401, 200, 200, 200, 403, 200),
    "api:appeals_action": row(405, 405, 405, 405, 405, 405),
    "api:appeals_attachments": row(405, 405, 405, 405, 405, 405),
    "api:appeals_attachment": row(401, 200, 200, 200, 403, 200),
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
