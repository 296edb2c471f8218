"""Figures, the Excel ledger, numbered batches, common problems, Open311, attachments."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from openpyxl import load_workbook

from tongchou.appeals import services
from tongchou.appeals.figures import LEDGER_HEADERS, figures
from tongchou.appeals.models import Appeal
from tongchou.core.clock import SHANGHAI
from tongchou.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def at(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=SHANGHAI)


@pytest.fixture
def handled(submit, users, department):
    """Three orders of Friday 2020-03-20: one answered in time and rated 满意, one contacted late
    and rated 不满意, one never touched (overdue)."""
    with time_machine.travel(at("2020-03-20T10:00"), tick=False):
        a, b, c = submit(), submit(text="第二件诉求内容"), submit(text="第三件诉求内容")
        for x in (a, b, c):
            services.appeal_dispatch(appeal=x, department=department, actor=users["leader"])
    with time_machine.travel(at("2020-03-21T09:00"), tick=False):
        services.appeal_accept(appeal=a, actor=users["department"])
        services.appeal_answer(appeal=a, actor=users["department"], answer="已解决")
        services.appeal_rate(appeal=a, actor=users["enterprise"], rating="satisfied")
    with time_machine.travel(at("2020-03-30T09:00"), tick=False):  # feedback due 03-24: late
        services.appeal_accept(appeal=b, actor=users["department"])
        services.appeal_answer(appeal=b, actor=users["department"], answer="已答复")
        services.appeal_rate(appeal=b, actor=users["enterprise"], rating="dissatisfied", comment="太慢")
    return a, b, c


def test_figures_rates_and_overdue(handled, users, department):
    data = figures(users["admin"], dt.date(2020, 3, 1), dt.date(2020, 3, 31), now=at("2020-04-10T09:00"))
    t = data["totals"]
    assert t["total"] == 3
    assert t["response_rate"] == pytest.approx(33.3)  # only the first was contacted in time
    assert t["resolution_rate"] == pytest.approx(66.7)
    assert t["satisfaction_rate"] == pytest.approx(50.0)
    assert t["overdue"] == 1
    assert t["avg_feedback_hours"] == pytest.approx((23 + 239) / 2, abs=0.1)
    assert data["by_department"][0]["name"] == department.name
    assert data["by_day"] == [{"day": "2020-03-20", "total": 3, "answered": 2}]


def test_figures_exclude_other_periods(handled, users):
    data = figures(users["admin"], dt.date(2020, 4, 1), dt.date(2020, 4, 30))
    assert data["totals"]["total"] == 0


def test_ledger_excel_has_chinese_headers_and_masked_phones(handled, client_as):
    r = client_as("leader").get("/appeals/ledger.xlsx?start=2020-03-01&end=2020-03-31")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == LEDGER_HEADERS
    assert len(rows) == 4
    assert {row[6] for row in rows[1:]} == {"138****1111"}
    assert {row[13] for row in rows[1:]} == {"是", "否", None}


def test_department_ledger_contains_only_its_orders(handled, client_as, other_department, users):
    services.appeal_transfer(
        appeal=handled[2], actor=users["leader"], department=other_department, reason="职责调整"
    )
    r = client_as("department").get("/appeals/ledger.xlsx?start=2020-03-01&end=2020-03-31")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3


def test_batches_numbered_per_region_and_recorded_on_orders(handled, users, zhoucun):
    from tongchou.regions.models import Region

    b1 = services.batch_issue(
        region=zhoucun, appeals=handled[:2], actor=users["admin"], title="物流问题第一批"
    )
    b2 = services.batch_issue(region=zhoucun, appeals=handled[2:], actor=users["admin"], title="第二批")
    other = services.batch_issue(
        region=Region.objects.get(code="370300"), appeals=handled[:1], actor=users["admin"], title="市级"
    )
    assert (b1.number, b2.number, other.number) == (1, 2, 1)
    assert Appeal.objects.get(pk=handled[2].pk).batch == b2


def test_batch_page_issues_selected_week_and_exports(handled, client_as):
    c = client_as("leader")
    r = c.post(
        "/appeals/batches/",
        {"title": "3月第三周问题", "addressee": "市指挥部", "start": "2020-03-16", "end": "2020-03-22"},
    )
    assert r.status_code == 302
    from tongchou.appeals.models import Batch

    batch = Batch.objects.get()
    assert (batch.number, batch.region_id, batch.appeals.count()) == (1, "370300", 3)
    r = c.get(f"/appeals/batches/{batch.pk}.xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][-1] == "第1批"


def test_common_problems_group_same_checkpoint(submit, client_as, make_enterprise, users):
    from tongchou.accounts.models import User

    texts = [
        "我公司货车在王村检查站被劝返，原料运不进来",
        "王村检查站不让我们的货车通行，请协调",
        "我公司车辆在王村检查站排队五个小时",
        "银行抽贷，资金周转困难",
    ]
    for i, t in enumerate(texts):
        ent = make_enterprise(name=f"企业{i}")
        u = User.objects.create(username=f"e{i}", role="enterprise", enterprise=ent)
        services.appeal_submit(text=t, region=ent.region, submitter=u, enterprise=ent, auto_dispatch=False)
    r = client_as("leader").get("/appeals/common/")
    groups = r.context["groups"]
    assert len(groups) == 1
    assert groups[0]["count"] == 3
    assert groups[0]["enterprises"] == ["企业0", "企业1", "企业2"]


@pytest.mark.parametrize(
    ("name", "size", "ok"),
    [
        ("a.pdf", 10 * 1024 * 1024, True),  # at the limit
        ("a.pdf", 10 * 1024 * 1024 + 1, False),  # just above
        ("a.exe", 10, False),
        ("noext", 10, False),
        ("照片.JPG", 10, True),
    ],
)
def test_attachment_type_and_size_limits(name, size, ok):
    head = b"\xff\xd8\xff" if name.lower().endswith(".jpg") else b"%PDF-"
    f = services.UploadedFile(name, head + b"\0" * (size - len(head)))
    if ok:
        services.validate_attachments([f])
    else:
        with pytest.raises(ValidationFailed):
            services.validate_attachments([f])


def test_at_most_five_attachments():
    files = [services.UploadedFile(f"{i}.txt", b"x") for i in range(6)]
    with pytest.raises(ValidationFailed):
        services.validate_attachments(files)


def test_open311_services_and_public_post_then_lookup(client, db):
    r = client.get("/open311/v2/services.json")
    codes = [s["service_code"] for s in r.json()]
    assert "logistics" in codes and len(codes) == 11
    r = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "market",
            "description": "药店口罩哄抬价格",
            "phone": "13912345678",
            "first_name": "女士",
            "last_name": "王",
        },
    )
    assert r.status_code == 201
    number = r.json()[0]["service_request_id"]
    r = client.get(f"/open311/v2/requests/{number}.json?phone=13912345678")
    body = r.json()[0]
    assert (body["service_code"], body["status"]) == ("market", "open")
    assert client.get(f"/open311/v2/requests/{number}.json?phone=13900000000").status_code == 404
    assert client.get("/open311/v2/requests.json").status_code == 401
    r = client.post("/open311/v2/requests.json", {"service_code": "nope", "description": "x", "phone": "1"})
    assert r.status_code == 400


def test_open311_staff_search_with_api_key(client, users, department):
    from tongchou.accounts.models import ApiToken

    _, raw = ApiToken.issue(user=users["leader"], name="open311")
    client.post(
        f"/open311/v2/requests.json?api_key={raw}",
        data=json.dumps({"service_code": "tax", "description": "增值税发票领用不够", "phone": "13912345678"}),
        content_type="application/json",
    )
    r = client.get(f"/open311/v2/requests.json?api_key={raw}&status=open&service_code=tax")
    assert r.status_code == 200 and len(r.json()) == 1


def test_eligibility_hook_degrades_to_nothing(submit, users):
    from tongchou.appeals.eligibility import eligibility_for_appeal

    appeal = submit(text="稳岗返还政策我们企业能否享受？", measure_ids=["no-such/1"])
    assert eligibility_for_appeal(appeal) == []
    appeal.enterprise = None
    assert eligibility_for_appeal(appeal) == []


def test_public_rates_own_order_by_number_and_phone_only(client, users, department, zhoucun):
    a, _ = services.appeal_submit(
        text="市民反映：小区门口道路积水，请协调处理",
        region=zhoucun,
        contact_name="李先生",
        contact_phone="13912345678",
        auto_dispatch=False,
    )
    services.appeal_dispatch(appeal=a, department=department, actor=users["leader"])
    services.appeal_accept(appeal=a, actor=users["department"])
    services.appeal_answer(appeal=a, actor=users["department"], answer="已处理")
    wrong = {"number": a.number, "phone": "13900000000", "do": "rate", "rating": "satisfied"}
    client.post("/appeals/lookup/", wrong)
    assert Appeal.objects.get(pk=a.pk).status == "answered"
    client.post("/appeals/lookup/", {**wrong, "phone": "139 1234 5678"})
    a.refresh_from_db()
    assert (a.status, a.rating) == ("rated", "satisfied")
    r = client.get(f"/appeals/lookup/?number={a.number}&phone=13912345678")
    page = r.content.decode().replace('value="13912345678"', "")  # the visitor's own input echoed back
    assert "13912345678" not in page and "139****5678" in page
