"""Every state and transition of an appeal through the JSON API, with who may do what."""

from __future__ import annotations

import re

import pytest

from tongchou.appeals.models import Appeal, AppealEvent
from tongchou.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _create(api, role="enterprise", **body):
    # a text with no routing keywords waits in the dispatcher's queue
    body.setdefault("text", "我公司遇到一些困难，希望有关部门帮助协调解决")
    return api(role).post("/", body)


def test_submit_returns_201_with_readable_number_and_deadlines(api):
    status, body = _create(api, idempotency_key="k1")
    assert status == 201
    assert re.fullmatch(r"ZB\d{8}-\d{6}", body["number"])
    assert body["feedback_due"].endswith("23:59:59+08:00")
    assert body["contact_phone"] == "138****1111"  # masked in the API


def test_submit_is_idempotent_per_client_key(api):
    s1, b1 = _create(api, idempotency_key="same")
    s2, b2 = _create(api, idempotency_key="same")
    assert (s1, s2) == (201, 200)
    assert b1["number"] == b2["number"]
    assert Appeal.objects.count() == 1
    s3, b3 = _create(api, idempotency_key="other")
    assert s3 == 201 and b3["number"] != b1["number"]


def test_idempotency_key_header_is_honoured(api):
    c = api("enterprise").c
    body = {"text": "工人返岗难，缺工八十人，请帮助招工"}
    r1 = c.post(
        "/api/appeals/", data=body, content_type="application/json", headers={"Idempotency-Key": "h1"}
    )
    r2 = c.post(
        "/api/appeals/", data=body, content_type="application/json", headers={"Idempotency-Key": "h1"}
    )
    assert (r1.status_code, r2.status_code) == (201, 200)
    assert r1.json()["number"] == r2.json()["number"]


def test_full_happy_path_submit_dispatch_accept_answer_rate_close(api, users, department):
    _, a = _create(api)
    n = a["number"]
    s, a = api("leader").act(n, "dispatch", department_id=department.pk, reason="按职责分办")
    assert (s, a["status"], a["department_id"]) == (200, "dispatched", department.pk)
    s, a = api("department").act(n, "accept", reason="已电话联系企业")
    assert (s, a["status"]) == (200, "accepted") and a["feedback_at"]
    s, a = api("department").act(n, "answer", answer="已协调检查站开通绿色通道")
    assert (s, a["status"]) == (200, "answered") and a["answered_at"]
    s, a = api("enterprise").act(n, "rate", rating="satisfied", comment="很快")
    assert (s, a["status"], a["rating"]) == (200, "rated", "satisfied")
    s, a = api("leader").act(n, "close")
    assert (s, a["status"]) == (200, "closed")
    s, events = api("enterprise").get(f"/{n}/events")
    assert [e["action"] for e in events] == ["submit", "dispatch", "accept", "answer", "rate", "close"]
    assert [e["to_status"] for e in events] == [
        "submitted",
        "dispatched",
        "accepted",
        "answered",
        "rated",
        "closed",
    ]
    assert events[1]["reason"] == "按职责分办" and events[1]["actor"]


def test_transfer_needs_reason_and_moves_order_out_of_old_departments_sight(
    api, users, department, other_department
):
    _, a = _create(api)
    n = a["number"]
    api("leader").act(n, "dispatch", department_id=department.pk)
    s, err = api("department").act(n, "transfer", department_id=other_department.pk, reason="")
    assert s == 409 and err["code"] == "reason_required"
    s, a = api("department").act(n, "transfer", department_id=other_department.pk, reason="属于对方职责")
    assert (s, a["status"], a["department_id"]) == (200, "dispatched", other_department.pk)
    ev = AppealEvent.objects.filter(appeal__number=n, action="transfer").get()
    assert (ev.from_department, ev.to_department, ev.reason) == (department, other_department, "属于对方职责")
    s, _ = api("department").get(f"/{n}")
    assert s == 404  # a department sees only the orders dispatched to it


def test_return_to_dispatcher_then_redispatch(api, department, other_department):
    _, a = _create(api)
    n = a["number"]
    api("leader").act(n, "dispatch", department_id=department.pk)
    api("department").act(n, "accept")
    s, a = api("department").act(n, "return", reason="不属于本部门职责，请重新分办")
    assert (s, a["status"], a["department"]) == (200, "submitted", None)
    s, a = api("leader").act(n, "dispatch", department_id=other_department.pk)
    assert (s, a["status"]) == (200, "dispatched")


def test_merge_duplicate_into_surviving_order(api, department):
    _, a = _create(api)
    _, b = _create(api, text="我公司遇到的困难还是没有人协调")
    s, merged = api("leader").act(b["number"], "merge", into=a["number"], reason="同一问题")
    assert (s, merged["status"], merged["merged_into"]) == (200, "merged", a["number"])
    s, err = api("leader").act(a["number"], "merge", into=b["number"], reason="反向")
    assert s == 400  # a merged order cannot be a merge target


def test_dissatisfied_rating_reopens_with_new_deadlines(api, department):
    _, a = _create(api)
    n = a["number"]
    api("leader").act(n, "dispatch", department_id=department.pk)
    api("department").act(n, "accept")
    api("department").act(n, "answer", answer="已答复")
    s, err = api("enterprise").act(n, "rate", rating="dissatisfied")
    assert s == 400  # 不满意 needs a comment
    s, a = api("enterprise").act(n, "rate", rating="dissatisfied", comment="问题没有解决")
    assert a["status"] == "rated"
    s, a = api("enterprise").act(n, "reopen", reason="车辆仍被劝返")
    assert (s, a["status"], a["department_id"]) == (200, "dispatched", department.pk)
    assert a["feedback_at"] is None and a["answered_at"] is None
    assert Appeal.objects.get(number=n).reopen_count == 1


def test_reopen_refused_after_satisfied(api, department):
    _, a = _create(api)
    n = a["number"]
    api("leader").act(n, "dispatch", department_id=department.pk)
    api("department").act(n, "accept")
    api("department").act(n, "answer", answer="已答复")
    api("enterprise").act(n, "rate", rating="basically_satisfied")
    s, err = api("enterprise").act(n, "reopen", reason="再看看")
    assert s == 409 and err["code"] == "reopen_needs_dissatisfied"


@pytest.mark.parametrize(
    ("setup", "role", "action", "body"),
    [
        ([], "department", "accept", {}),  # not dispatched to anyone yet: department can't see it
        ([], "leader", "close", {}),
        ([], "enterprise", "rate", {"rating": "satisfied"}),
        (["dispatch"], "department", "answer", {"answer": "直接答复"}),
        (["dispatch"], "leader", "dispatch", {}),
        (["dispatch", "accept"], "department", "accept", {}),
        (["dispatch", "accept", "answer"], "department", "transfer", {"reason": "x"}),
    ],
)
def test_illegal_transitions_are_refused(api, department, other_department, setup, role, action, body):
    _, a = _create(api)
    n = a["number"]
    steps = {
        "dispatch": ("leader", {"department_id": department.pk}),
        "accept": ("department", {}),
        "answer": ("department", {"answer": "答复"}),
    }
    for step in setup:
        r, b = steps[step]
        assert api(r).act(n, step, **b)[0] == 200
    if action in ("dispatch", "transfer"):
        body = {**body, "department_id": other_department.pk}
    before = Appeal.objects.get(number=n).status
    status, err = api(role).act(n, action, **body)
    assert status in (404, 409)
    assert Appeal.objects.get(number=n).status == before


def test_roles_may_only_do_their_part(api, department):
    _, a = _create(api)
    n = a["number"]
    s, err = api("enterprise").act(n, "dispatch", department_id=department.pk)
    assert s == 403
    api("leader").act(n, "dispatch", department_id=department.pk)
    s, _ = api("enterprise").act(n, "accept")
    assert s == 403
    s, _ = api("bank").get(f"/{n}")
    assert s == 403


def test_enterprise_sees_only_its_own_orders(api, users, make_enterprise):
    from tongchou.accounts.models import User
    from tongchou.appeals import services

    other_ent = make_enterprise(name="别家企业")
    other = User.objects.create(username="other_ent", role="enterprise", enterprise=other_ent)
    theirs, _ = services.appeal_submit(
        text="别家企业的诉求：资金周转困难",
        region=other_ent.region,
        submitter=other,
        enterprise=other_ent,
        auto_dispatch=False,
    )
    _create(api)
    s, mine = api("enterprise").get("/")
    assert s == 200 and len(mine) == 1 and mine[0]["number"] != theirs.number
    s, _ = api("enterprise").get(f"/{theirs.number}")
    assert s == 404


def test_department_sees_only_orders_dispatched_to_it(api, department, other_department):
    _, a = _create(api)
    _, b = _create(api, text="还有一件事情需要有关部门帮助")
    api("leader").act(a["number"], "dispatch", department_id=department.pk)
    api("leader").act(b["number"], "dispatch", department_id=other_department.pk)
    s, rows = api("department").get("/")
    assert [r["number"] for r in rows] == [a["number"]]


def test_unmasked_phone_for_handler_is_audited(api, department):
    _, a = _create(api)
    n = a["number"]
    api("leader").act(n, "dispatch", department_id=department.pk)
    s, body = api("department").get(f"/{n}/phone")
    assert (s, body["phone"]) == (200, "13800001111")
    assert AuditEntry.objects.filter(action="appeal.phone_unmasked", detail__number=n).count() == 1
    s, _ = api("enterprise").get(f"/{n}/phone")
    assert s == 403


def test_hotline_token_creates_and_updates(client, users, department):
    from tongchou.accounts.models import ApiToken, User

    hotline = User.objects.create(username="hotline12345", role="department", department=department)
    _, raw = ApiToken.issue(user=hotline, name="12345热线")
    h = {"Authorization": f"Bearer {raw}"}
    body = {
        "text": "市民来电：小区附近药店口罩一包卖100元，哄抬价格",
        "region": "370306",
        "channel": "hotline",
        "contact_name": "王女士",
        "contact_phone": "13912345678",
        "external_id": "12345-20200321-0001",
        "idempotency_key": "12345-20200321-0001",
    }
    r = client.post("/api/appeals/", data=body, content_type="application/json", headers=h)
    assert r.status_code == 201
    number = r.json()["number"]
    appeal = Appeal.objects.get(number=number)
    assert (appeal.channel, appeal.external_id, appeal.submitter) == ("hotline", "12345-20200321-0001", None)
    r = client.patch(
        f"/api/appeals/{number}",
        data={"text_addition": "回访：药店已下架"},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 200 and "回访：药店已下架" in r.json()["text"]
    r = client.post("/api/appeals/", data=body, content_type="application/json", headers=h)
    assert r.status_code == 200 and r.json()["number"] == number


def test_route_endpoint_names_department_of_region(api):
    s, body = api("leader").get("/route?text=稳岗返还什么时候到账&region=370306")
    assert s == 200
    assert body["department"] == "周村区人力资源和社会保障局"
    assert len(body["candidates"]) >= 3


def test_confident_route_dispatches_automatically(api):
    s, a = _create(api, text="我公司两辆货车在王村检查站被劝返，司机已做核酸，请问怎样办理通行证？")
    assert (s, a["status"], a["department"]) == (201, "dispatched", "周村区交通运输局")
    assert api("leader").get(f"/{a['number']}")[1]["routing"]["confidence"] >= 0.55


def test_unclear_text_waits_for_dispatcher(api):
    s, a = _create(api)
    assert (s, a["status"], a["department"]) == (201, "submitted", None)


def test_hotline_account_reads_back_the_orders_it_filed_and_no_others(api, users, other_department):
    """The 12345 system files orders with a department account's token; it must read their status
    back wherever they were dispatched, without seeing other departments' orders."""
    from tongchou.accounts.models import User

    s, filed = api("department").post(
        "/", {"text": "市民来电：小区门口道路积水", "contact_phone": "13900000000"}
    )
    assert s == 201
    _, other = _create(api)  # an enterprise's order, not the hotline's
    for n in (filed["number"], other["number"]):
        api("leader").act(n, "dispatch", department_id=other_department.pk)
    s, body = api("department").get(f"/{filed['number']}")
    assert (s, body["department_id"]) == (200, other_department.pk)
    assert api("department").get(f"/{other['number']}")[0] == 404
    s, events = api("department").get(f"/{filed['number']}/events")
    assert [e["action"] for e in events] == ["submit", "dispatch"]
    s, listed = api("department").get("/?mine=true")
    assert [a["number"] for a in listed] == [filed["number"]]
    s, listed = api("department").get("/")  # by scope: dispatched elsewhere, so not the department's
    assert filed["number"] not in [a["number"] for a in listed]
    colleague = User.objects.create(
        username="colleague", role="department", department=users["department"].department
    )
    from django.test import Client

    c = Client()
    c.force_login(colleague)
    assert (
        c.get(f"/api/appeals/{filed['number']}").status_code == 404
    )  # another account of the same department


def test_routing_scores_are_shown_to_dispatchers_not_to_the_submitter(api):
    s, mine = _create(api, text="我公司货车在王村检查站被劝返，请协调通行证")
    assert s == 201 and mine["routing"] == {}
    _, seen = api("leader").get(f"/{mine['number']}")
    assert seen["routing"]["candidates"][0]["department"].endswith("交通运输局")
