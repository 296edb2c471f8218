"""Attachments through every channel: the JSON API (base64 on create, multipart afterwards, download),
Open311 (media file and media_url), and the handler's page. Types are checked by content, not
only by extension, and a refused file leaves nothing written."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tongchou.appeals import services
from tongchou.appeals.models import Appeal, AppealEvent, Attachment
from tongchou.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_api_create_with_base64_attachments_lists_and_serves_them(api):
    status, body = api("department").post(
        "/",
        {
            "text": "市民来电：检查站排队太久，附现场照片",
            "region": "370306",
            "contact_phone": "13900000000",
            "attachments": [
                {"name": "现场.png", "content_base64": b64(PNG)},
                {"name": "说明.pdf", "content_base64": b64(PDF)},
            ],
        },
    )
    assert status == 201, body
    assert [(a["name"], a["content_type"], a["size"]) for a in body["attachments"]] == [
        ("现场.png", "image/png", len(PNG)),
        ("说明.pdf", "application/pdf", len(PDF)),
    ]
    r = api("department").c.get(body["attachments"][0]["url"])
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    _, again = api("department").get(f"/{body['number']}")
    assert [a["name"] for a in again["attachments"]] == ["现场.png", "说明.pdf"]


def test_api_refuses_bad_base64_and_disguised_files_and_writes_nothing(api):
    status, body = api("department").post(
        "/",
        {
            "text": "市民来电：检查站排队太久",
            "contact_phone": "13900000000",
            "attachments": [{"name": "a.png", "content_base64": "这不是base64"}],
        },
    )
    assert status == 400 and "第 1 个附件“a.png”" in body["message"] and "Base64" in body["message"]
    status, body = api("department").post(
        "/",
        {
            "text": "市民来电：检查站排队太久",
            "contact_phone": "13900000000",
            "attachments": [
                {"name": "ok.pdf", "content_base64": b64(PDF)},
                {"name": "photo.jpg", "content_base64": b64(b"MZ\x90\x00 an executable")},
            ],
        },
    )
    assert status == 400
    assert "第 2 个附件“photo.jpg”" in body["message"] and "与扩展名不符" in body["message"]
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0


def test_multipart_upload_to_an_existing_order_is_recorded_and_limited(api, client_as, submit, users):
    appeal = submit()
    c = client_as("enterprise")
    r = c.post(
        f"/api/appeals/{appeal.number}/attachments",
        {"files": [SimpleUploadedFile("补充.pdf", PDF), SimpleUploadedFile("照片.png", PNG)]},
    )
    assert r.status_code == 201, r.content
    assert [a["name"] for a in r.json()] == ["补充.pdf", "照片.png"]
    event = AppealEvent.objects.filter(appeal=appeal, action="attach").get()
    assert event.actor == users["enterprise"] and "补充.pdf" in event.reason
    # five per order in all: two held, four more refused as a whole
    r = c.post(
        f"/api/appeals/{appeal.number}/attachments",
        {"files": [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(4)]},
    )
    assert r.status_code == 400 and "已有 2 个" in r.json()["message"]
    assert appeal.attachments.count() == 2


def test_only_people_involved_may_add_files(client_as, submit, users):
    appeal = submit()  # not dispatched: the department has nothing to do with it yet
    r = client_as("department").post(
        f"/api/appeals/{appeal.number}/attachments", {"files": [SimpleUploadedFile("a.pdf", PDF)]}
    )
    assert r.status_code == 404  # department staff do not even see an order not dispatched to them
    assert appeal.attachments.count() == 0
    assert not services.may_attach(users["bank"], appeal)


def test_open311_media_file_and_media_url(client, db, zhoucun):
    r = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "market",
            "description": "药店口罩哄抬价格，附照片",
            "phone": "13912345678",
            "media_url": "https://example.org/photos/123.jpg",
            "media": SimpleUploadedFile("price.png", PNG, content_type="image/png"),
        },
    )
    assert r.status_code == 201, r.content
    number = r.json()[0]["service_request_id"]
    appeal = Appeal.objects.get(number=number)
    assert appeal.media_url == "https://example.org/photos/123.jpg"
    assert [a.name for a in appeal.attachments.all()] == ["price.png"]
    body = client.get(f"/open311/v2/requests/{number}.json?phone=13912345678").json()[0]
    assert body["media_url"] == "https://example.org/photos/123.jpg"


def test_open311_refuses_a_media_url_that_is_not_http(client, db):
    r = client.post(
        "/open311/v2/requests.json",
        data=json.dumps(
            {
                "service_code": "market",
                "description": "药店口罩哄抬价格",
                "phone": "13912345678",
                "media_url": "file:///etc/passwd",
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 400 and "media_url" in r.json()[0]["description"]
    assert Appeal.objects.count() == 0


def test_handler_page_shows_media_link_and_accepts_uploads(client_as, users, department, zhoucun):
    appeal, _ = services.appeal_submit(
        text="市民反映：小区门口道路积水",
        region=zhoucun,
        contact_phone="13912345678",
        media_url="https://example.org/p/1.jpg",
        auto_dispatch=False,
    )
    services.appeal_dispatch(appeal=appeal, department=department, actor=users["leader"])
    c = client_as("department")
    page = c.get(f"/appeals/{appeal.number}/").content.decode()
    assert 'id="media-url"' in page and "https://example.org/p/1.jpg" in page
    assert 'id="attach-form"' in page
    r = c.post(
        f"/appeals/{appeal.number}/attachments/",
        {"attachments": [SimpleUploadedFile("处理记录.txt", "已现场处理".encode())]},
        follow=True,
    )
    assert "已上传 1 个附件" in r.content.decode()
    assert [a.name for a in appeal.attachments.all()] == ["处理记录.txt"]
    r = c.post(
        f"/appeals/{appeal.number}/attachments/",
        {"attachments": [SimpleUploadedFile("假.txt", b"\x00\x01binary")]},
        follow=True,
    )
    assert "与扩展名不符" in r.content.decode()
    assert appeal.attachments.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("a.docx", b"PK\x03\x04rest", True),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", True),
        ("a.xlsx", b"%PDF-1.4", False),
        ("a.txt", "中文说明".encode("gb18030"), True),
        ("a.txt", "中文说明".encode(), True),
        ("a.png", b"\xff\xd8\xff jpeg named png", False),
        ("empty.pdf", b"", False),
    ],
)
def test_content_must_match_extension(name, content, ok):
    f = services.UploadedFile(name, content)
    if ok:
        services.validate_attachments([f])
    else:
        with pytest.raises(ValidationFailed):
            services.validate_attachments([f])


def test_a_submission_that_fails_after_its_files_were_written_leaves_no_file(
    monkeypatch, settings, tmp_path, zhoucun
):
    """Storage is not transactional: the files of a rolled-back order are removed again."""
    settings.MEDIA_ROOT = str(tmp_path)

    def boom(*args, **kwargs):
        raise RuntimeError("a later statement failed")

    monkeypatch.setattr(AppealEvent.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        services.appeal_submit(
            text="市民来电：检查站排队太久，附照片",
            region=zhoucun,
            contact_phone="13900000000",
            attachments=[services.UploadedFile("现场.png", PNG), services.UploadedFile("说明.pdf", PDF)],
        )
    assert Appeal.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    settings.MEDIA_ROOT = str(tmp_path)
    services.appeal_submit(  # the same submission, working: its files are where they should be
        text="市民来电：检查站排队太久，附照片",
        region=zhoucun,
        contact_phone="13900000000",
        attachments=[services.UploadedFile("现场.png", PNG)],
    )
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1
