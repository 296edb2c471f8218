"""Search semantics identical on SQLite FTS5 and PostgreSQL, pages, upload, API and CLI ingest."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tongchou.policies import selectors, services
from tongchou.policies.models import Measure, PolicyDocument
from tongchou.policies.tokens import query_tokens

from .seeds import SEEDS_DIR, needs_seeds


@pytest.fixture
def seeded(db):
    return services.seed_documents_ingest(SEEDS_DIR)


@needs_seeds
@pytest.mark.parametrize(
    "q",
    ["稳岗返还", "贷款贴息", "社会保险费 减免", "失业保险", "医疗废物", "房租", "疫情防控 物资 储备", "税"],
)
def test_database_search_equals_the_python_reference(seeded, q):
    """Whatever the database (FTS5 or PostgreSQL GIN), the hits are exactly the measures whose
    stored tokens contain every query token (single characters: contained in the text)."""
    tokens = query_tokens(q)
    expected = set()
    for m in Measure.objects.all():
        toks = set(m.tokens.split())
        if all((t in toks) if len(t) > 1 else (t in m.text) for t in tokens):
            expected.add(m.measure_id)
    result = selectors.measure_search(q=q, limit=1000)
    assert {h.measure.measure_id for h in result.hits} == expected
    assert result.total == len(expected)
    assert expected, f"query {q} should find something in the seeds"


@needs_seeds
def test_search_order_is_deterministic(seeded):
    a = [h.measure.measure_id for h in selectors.measure_search(q="贴息", limit=50).hits]
    b = [h.measure.measure_id for h in selectors.measure_search(q="贴息", limit=50).hits]
    assert a == b and len(a) >= 3


@needs_seeds
def test_list_page_search_and_measure_page(seeded, client):
    r = client.get("/policies/", {"q": "稳岗返还"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<mark>稳岗返还</mark>" in html
    assert "/policies/zhoucun-2020-8/14/" in html
    r = client.get("/policies/zhoucun-2020-8/14/")
    assert "加大稳岗返还" in r.content.decode()
    assert client.get("/policies/zhoucun-2020-8/99/").status_code == 404
    assert client.get("/policies/no-such-doc/").status_code == 404


@needs_seeds
def test_compare_defaults_to_the_most_similar_measures(seeded, client):
    r = client.get("/policies/compare/", {"m": "jinan-2020-opinions/16"})
    html = r.content.decode()
    assert r.status_code == 200
    assert html.count('class="region"') >= 3


@needs_seeds
def test_api_search(seeded, client):
    r = client.get("/api/policies/search", {"q": "贴息", "region": "370306"})
    data = r.json()
    assert r.status_code == 200 and data["total"] >= 1
    assert all(h["document"] == "zhoucun-2020-8" for h in data["hits"])
    r = client.get("/api/policies/measures/similar", {"id": "jinan-2020-opinions/16"})
    assert r.status_code == 200 and r.json()


def test_admin_upload_ingests_and_a_bad_file_shows_a_chinese_error(client_as, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    admin = client_as("admin")
    text = "关于做好复工复产工作的通知\n各单位要做好疫情防控工作。\n1.加大稳岗返还。返还50%。\n2.减免房租。减免3个月。\n3.贷款贴息。给予贴息。\n"
    r = admin.post(
        "/policies/upload/",
        {"file": SimpleUploadedFile("n.txt", text.encode("gb18030")), "slug": "upload-doc"},
    )
    assert r.status_code == 302 and r["Location"] == "/policies/upload-doc/"
    assert PolicyDocument.objects.get(slug="upload-doc").measures.count() == 3
    r = admin.post("/policies/upload/", {"file": SimpleUploadedFile("bad.txt", b"\x00\x01" * 100)})
    assert r.status_code == 200
    assert "二进制" in r.content.decode()
    assert PolicyDocument.objects.count() == 1


def test_ingest_command_reads_folders_and_reports_failures(db, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "关于做好工作的通知\n各单位要做好工作，确保落实。\n1.第一条。内容。\n2.第二条。内容。\n3.第三条。内容。\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="1 个文件未能导入"):
        call_command("ingest", str(folder))
    out = capsys.readouterr()
    assert "已入库 good.txt → good" in out.out
    assert "empty.txt" in out.err and "文件为空" in out.err
    assert PolicyDocument.objects.filter(slug="good").exists()


def test_seed_ingest_without_the_folder_does_nothing(db, tmp_path):
    assert services.seed_documents_ingest(tmp_path / "missing") == []


def test_parse_json_is_serialisable_for_every_seed_measure():
    pytest.importorskip("jieba")
    if not SEEDS_DIR.is_dir():
        pytest.skip("no seeds")
    from tongchou.policies.parsing import parse_file

    for f in sorted(SEEDS_DIR.glob("*.txt")):
        json.dumps(parse_file(f).as_json(), ensure_ascii=False)
