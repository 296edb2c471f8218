"""Ingest, search, similarity and routing through the services and selectors."""

import pytest
from django.core.files.storage import default_storage

from tongchou.core.errors import Conflict
from tongchou.policies import selectors, services
from tongchou.policies.models import Measure, PolicyDocument

from .seeds import SEEDS_DIR, needs_seeds


@pytest.fixture
def seeded(db):
    return services.seed_documents_ingest(SEEDS_DIR)


@needs_seeds
def test_seed_ingest_stores_documents_measures_and_is_idempotent(seeded):
    assert [d.slug for d in seeded] == [
        "zibo-2020-forum",
        "zibo-2020-opinions",
        "jinan-2020-opinions",
        "zhoucun-2020-8",
        "dezhou-press-13",
    ]
    assert Measure.objects.count() == 59 + 53 + 55
    again = services.seed_documents_ingest(SEEDS_DIR)
    assert [d.pk for d in again] == [d.pk for d in seeded]
    assert Measure.objects.count() == 59 + 53 + 55


@needs_seeds
def test_original_file_is_kept_unchanged(seeded):
    doc = PolicyDocument.objects.get(slug="jinan-2020-opinions")
    with default_storage.open(doc.original_file.name, "rb") as fh:
        assert fh.read() == (SEEDS_DIR / "002_2c3b6ff48f25ff77.txt").read_bytes()
    assert doc.region_id == "370100"


@needs_seeds
def test_lead_units_resolve_to_departments_of_the_region(seeded):
    m = Measure.objects.get(measure_id="zhoucun-2020-8/14")
    assert [d.name for d in m.lead_departments.all()] == ["周村区人力资源和社会保障局"]
    assert m.unresolved_lead_units == []
    m51 = Measure.objects.get(measure_id="zhoucun-2020-8/51")
    assert m51.unresolved_lead_units == ["各有关部门"]


@needs_seeds
def test_search_finds_and_highlights(seeded):
    result = selectors.measure_search(q="稳岗返还")
    ids = [h.measure.measure_id for h in result.hits]
    assert "zhoucun-2020-8/14" in ids[:3]
    assert "<mark>" in result.hits[0].snippet


@needs_seeds
def test_search_filters(seeded):
    r = selectors.measure_search(q="贴息", region="370306")
    assert r.hits and all(h.measure.document.slug == "zhoucun-2020-8" for h in r.hits)
    r = selectors.measure_search(q="贴息", lead_unit="区财政局")
    assert r.hits and all("区财政局" in h.measure.lead_units for h in r.hits)
    r = selectors.measure_search(topic="social_insurance", issuer="济南")
    assert "jinan-2020-opinions/16" in [h.measure.measure_id for h in r.hits]
    import datetime as dt

    r = selectors.measure_search(q="贴息", date_from=dt.date(2020, 3, 5))
    assert {h.measure.document.slug for h in r.hits} == {"zhoucun-2020-8"}


@needs_seeds
def test_similar_measures_come_from_other_documents(seeded):
    m = Measure.objects.get(measure_id="jinan-2020-opinions/16")
    similar = selectors.similar_measures(m, limit=5)
    assert similar and all(s.document_id != m.document_id for s, _ in similar)
    assert "zhoucun-2020-8/12" in [s.measure_id for s, _ in similar]


@needs_seeds
def test_measures_for_routing(seeded):
    rows = selectors.measures_for_routing("370306")
    row = next(r for r in rows if r.measure_id == "zhoucun-2020-8/14")
    assert row.lead_units == ("区人力资源社会保障局",)
    assert row.lead_department_ids and "稳岗返还" in row.tokens


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty_file"), (b"\x00\x01\x02" * 100, "binary_file"), ("只有一行".encode(), "no_structure")],
)
def test_malformed_file_stores_nothing(db, data, code):
    from tongchou.core.models import AuditEntry

    with pytest.raises(services.DocumentRejected) as exc:
        services.document_ingest(file_bytes=data, filename="bad.txt")
    assert exc.value.code == code
    assert PolicyDocument.objects.count() == 0 and Measure.objects.count() == 0
    assert not AuditEntry.objects.filter(action="policies.document_ingest").exists()


SMALL = "关于做好复工复产工作的通知\n各单位要做好疫情防控工作，确保企业复工复产。\n1.加大稳岗返还。返还失业保险费的50%。\n2.减免房租。减免3个月房租。\n3.贷款贴息。给予贴息。\n"


def test_duplicate_slug_is_refused_and_leaves_no_second_file(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    services.document_ingest(file_bytes=SMALL.encode(), filename="a.txt", slug="demo-doc")
    with pytest.raises(Conflict):
        services.document_ingest(file_bytes=SMALL.encode(), filename="b.txt", slug="demo-doc")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1


def test_failure_after_the_file_is_written_rolls_back_everything(db, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_store_measures", boom)
    with pytest.raises(RuntimeError):
        services.document_ingest(file_bytes=SMALL.encode(), filename="a.txt", slug="demo-doc")
    assert PolicyDocument.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_delete_removes_measures_and_search_rows(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    doc = services.document_ingest(file_bytes=SMALL.encode(), filename="a.txt", slug="demo-doc")
    assert selectors.measure_search(q="稳岗返还").total == 1
    services.document_delete(document=doc)
    assert selectors.measure_search(q="稳岗返还").total == 0
    assert Measure.objects.count() == 0


@pytest.mark.parametrize("slug", ["Bad Slug", "compare", "-x"])
def test_bad_slugs_are_refused(db, slug):
    with pytest.raises(services.DocumentRejected):
        services.document_ingest(file_bytes=SMALL.encode(), filename="a.txt", slug=slug)


@needs_seeds
def test_loan_interest_subsidies_are_compared_across_three_cities(seeded):
    m = Measure.objects.get(measure_id="zhoucun-2020-8/22")
    similar = [s.measure_id for s, _ in selectors.similar_measures(m, limit=3)]
    assert "jinan-2020-opinions/14" in similar
    assert "zibo-2020-opinions/29" in similar


CORPUS = __import__("pathlib").Path(__file__).parent / "corpus"


def test_a_document_from_another_city_gets_its_region_from_the_national_table(db, client):
    from tongchou.regions.models import Region

    assert not Region.objects.filter(pk="510100").exists()
    data = (CORPUS / "03-dayi-county-17.txt").read_bytes()
    doc = services.document_ingest(file_bytes=data, filename="03-dayi-county-17.txt")
    assert doc.region_id == "510129"
    county = Region.objects.select_related("parent__parent").get(pk="510129")
    assert (county.name, county.level, county.prefix) == ("大邑县", "county", "510129")
    assert (county.parent.name, county.parent.parent.name) == ("成都市", "四川省")
    # Only the divisions documents come from are added: pickers keep the platform's own area.
    assert not Region.objects.filter(pk="510104").exists()
    r = client.get("/policies/", {"region": "510100"})
    assert r.status_code == 200 and "大邑县" in r.content.decode()


def test_a_failed_ingest_adds_no_region(db):
    from tongchou.regions.models import Region

    text = "成都市人民政府关于做好复工复产工作的通知\n1.加大稳岗返还。返还失业保险费的50%。\n2.减免房租。减免3个月房租。\n"
    services.document_ingest(file_bytes=text.encode(), filename="a.txt", slug="taken")
    with pytest.raises(Conflict):
        services.document_ingest(
            file_bytes=text.replace("成都", "太原").encode(), filename="b.txt", slug="taken"
        )
    assert not Region.objects.filter(pk="140100").exists()


def test_supporting_units_are_stored_apart_from_lead_units(db, client):
    data = (CORPUS / "11-unit-forms.txt").read_bytes()
    doc = services.document_ingest(file_bytes=data, filename="11-unit-forms.txt")
    m = doc.measures.get(number="3")
    assert m.lead_units == ["市金融监管局"]
    assert m.supporting_units == ["人行泉州市中心支行", "泉州银保监分局"]
    page = client.get(m.get_absolute_url()).content.decode()
    assert "配合单位" in page and "泉州银保监分局" in page
    hit = client.get("/api/policies/search", {"q": "信贷"}).json()["hits"][0]
    assert hit["supporting_units"] == ["人行泉州市中心支行", "泉州银保监分局"]


def test_money_ranges_caps_and_unsure_amounts_are_stored_and_shown(db, client):
    data = (CORPUS / "12-money-forms.txt").read_bytes()
    doc = services.document_ingest(file_bytes=data, filename="12-money-forms.txt")
    m2 = doc.measures.get(number="2")
    assert m2.quantities["money"] == [
        {"yuan": 30000, "text": "1至3万元", "low_yuan": 10000, "high_yuan": 30000, "per": "户"}
    ]
    page = client.get(m2.get_absolute_url()).content.decode()
    assert "1万元 – 3万元" in page and "/户" in page
    m6 = doc.measures.get(number="6")
    assert m6.quantities["money"][0]["unsure"] is True
    assert "待核实" in client.get(m6.get_absolute_url()).content.decode()
