"""Pages and API through the test client: scoping, filters, masking, audit, import report, export."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from tongchou.core.models import AuditEntry
from tongchou.enterprises.models import Enterprise
from tongchou.enterprises.uscc import make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(make_enterprise):
    return {
        "zhoucun_textile": make_enterprise(region_code="370306001", name="周村丝绸纺织有限公司", industry_id="C17",
                                           size_class="small", kind="enterprise", contact_phone="13911112222"),
        "zhoucun_shop": make_enterprise(region_code="370306", name="周村区鑫华便利店", industry_id="F52",
                                        size_class="micro", kind="sole_proprietor"),
        "zichuan_ceramic": make_enterprise(region_code="370302", name="淄川陶瓷有限公司", industry_id="C30",
                                           size_class="medium", kind="enterprise"),
        "jinan_soft": make_enterprise(region_code="370102", name="济南软件有限公司", industry_id="I65",
                                      size_class="small", kind="enterprise"),
    }  # fmt: skip


def names(response):
    return [e.name for e in response.context["page"]]


def test_department_sees_only_its_region_and_below(client_as, registry):
    got = names(client_as("department").get("/enterprises/"))
    assert "周村丝绸纺织有限公司" in got and "周村区鑫华便利店" in got
    assert "淄川陶瓷有限公司" not in got and "济南软件有限公司" not in got


def test_leader_of_the_city_sees_all_its_districts_admin_everything(client_as, registry):
    got = names(client_as("leader").get("/enterprises/"))
    assert "淄川陶瓷有限公司" in got and "济南软件有限公司" not in got
    assert "济南软件有限公司" in names(client_as("admin").get("/enterprises/"))


@pytest.mark.parametrize(
    "query,expected",
    [
        ("region=370306001", {"周村丝绸纺织有限公司"}),
        ("region=370306", {"周村丝绸纺织有限公司", "周村区鑫华便利店"}),
        ("section=C", {"周村丝绸纺织有限公司", "淄川陶瓷有限公司"}),
        ("size_class=medium", {"淄川陶瓷有限公司"}),
        ("kind=sole_proprietor", {"周村区鑫华便利店"}),
        ("q=陶瓷", {"淄川陶瓷有限公司"}),
    ],
)
def test_filters(client_as, registry, query, expected):
    got = set(names(client_as("leader").get(f"/enterprises/?{query}"))) - {"测试纺织有限公司"}
    assert got == expected


def test_search_by_uscc_prefix(client_as, registry):
    uscc = registry["zichuan_ceramic"].uscc
    assert names(client_as("leader").get(f"/enterprises/?q={uscc[:12].lower()}")) == ["淄川陶瓷有限公司"]


def test_phones_are_masked_in_the_list(client_as, registry):
    html = client_as("department").get("/enterprises/").content.decode()
    assert "139****2222" in html and "13911112222" not in html


def test_detail_outside_scope_is_not_found(client_as, registry):
    assert client_as("department").get(f"/enterprises/{registry['zichuan_ceramic'].pk}/").status_code == 404


def test_detail_masks_personal_data_until_revealed_and_reveal_is_audited(client_as, registry, users):
    url = f"/enterprises/{registry['zhoucun_textile'].pk}/"
    client = client_as("department")
    html = client.get(url).content.decode()
    assert "139****2222" in html and "13911112222" not in html
    assert not AuditEntry.objects.filter(action="enterprises.view_personal_data").exists()
    html = client.get(url + "?reveal=1").content.decode()
    assert "13911112222" in html
    entry = AuditEntry.objects.get(action="enterprises.view_personal_data")
    assert entry.actor == users["department"] and entry.object_id == str(registry["zhoucun_textile"].pk)


def test_my_enterprise_shows_only_the_users_own(client_as, users, registry):
    html = client_as("enterprise").get("/enterprises/mine/").content.decode()
    assert users["enterprise"].enterprise.name in html
    assert "周村丝绸纺织有限公司" not in html


def test_export_is_the_filtered_list_with_masked_phones_and_audited(client_as, registry):
    resp = client_as("leader").get("/enterprises/export.xlsx?region=370306001")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码"
    assert [r[1] for r in rows[1:]] == ["周村丝绸纺织有限公司"]
    assert rows[1][-1] == "139****2222"
    assert AuditEntry.objects.filter(action="enterprises.export").exists()


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "名称", "所在区域代码", "行业代码", "从业人员（人）", "营业收入（万元）"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "名录.xlsx"
    return buf


def test_import_page_shows_each_bad_row_and_imports_nothing(client_as):
    rows = [
        [make_uscc("370306", 700 + i), f"导入测试{i}有限公司", "370306", "C17", 10, 100] for i in range(4)
    ]
    rows[2][2] = "999999"
    before = Enterprise.objects.count()
    resp = client_as("department").post("/enterprises/import/", {"file": _xlsx(rows)})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'id="import-errors"' in html and "所在区域代码" in html
    assert resp.context["error"].detail[0]["row"] == 4
    assert Enterprise.objects.count() == before


def test_import_page_imports_a_good_file(client_as):
    rows = [
        [make_uscc("370306", 800 + i), f"导入成功{i}有限公司", "370306001", "C17", 30, 500] for i in range(3)
    ]
    resp = client_as("admin").post("/enterprises/import/", {"file": _xlsx(rows)})
    assert resp.status_code == 302
    assert Enterprise.objects.filter(name__startswith="导入成功").count() == 3
    assert Enterprise.objects.get(name="导入成功0有限公司").size_class == "small"


def test_template_download_has_chinese_headers(client_as):
    resp = client_as("department").get("/enterprises/import/template.xlsx")
    headers = [c.value for c in load_workbook(io.BytesIO(resp.content))["企业名录"][1]]
    assert headers[:2] == ["统一社会信用代码", "名称"] and "营业收入（万元）" in headers


# --- API ------------------------------------------------------------------------------------------


def test_api_list_is_scoped_and_masked(client_as, registry):
    data = client_as("department").get("/api/enterprises/?section=C").json()
    assert {r["name"] for r in data["results"]} == {"周村丝绸纺织有限公司"}
    phone = next(r["contact_phone"] for r in data["results"] if r["name"] == "周村丝绸纺织有限公司")
    assert phone == "139****2222"


def test_api_detail_unmasked_is_audited_and_scoped(client_as, registry):
    client = client_as("department")
    ok = client.get(f"/api/enterprises/{registry['zhoucun_textile'].pk}").json()
    assert ok["contact_phone"] == "13911112222"
    assert AuditEntry.objects.filter(action="enterprises.view_personal_data").count() == 1
    missing = client.get(f"/api/enterprises/{registry['zichuan_ceramic'].pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_api_import_refusal_lists_rows(client_as):
    rows = [
        [make_uscc("370306", 900), "A有限公司", "370306", "C17", 1, 1],
        [make_uscc("370306", 900), "B", "370306", "C17", 1, 1],
    ]
    resp = client_as("admin").post("/api/enterprises/import", {"file": _xlsx(rows)})
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "import_refused"
    assert body["detail"] == [
        {
            "row": 3,
            "column": "统一社会信用代码",
            "value": rows[1][0],
            "message": "统一社会信用代码与第2行重复",
        }
    ]


def test_api_import_ok(client_as):
    rows = [[make_uscc("370306", 950), "API导入有限公司", "370306", "C17", 25, 400]]
    resp = client_as("department").post("/api/enterprises/import", {"file": _xlsx(rows)})
    assert resp.status_code == 200, resp.content
    assert resp.json()["created"] == 1


def test_api_uscc_and_size_class(client_as):
    client = client_as("bank")
    code = make_uscc("370306", 5)
    assert client.get(f"/api/enterprises/uscc?code={code}").json()["valid"] is True
    r = client.get("/api/enterprises/size-class?industry=F52&employees=9&revenue_wan=50000").json()
    assert r["size_class"] == "micro"
    err = client.get("/api/enterprises/size-class?industry=E48&revenue_wan=5")
    assert err.status_code == 400 and "缺少资产总额" in err.json()["message"]
