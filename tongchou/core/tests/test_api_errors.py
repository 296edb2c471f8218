"""Under /api/ every error is the API's {code, message, detail} JSON — never an HTML page or plain
text: unknown URLs, wrong methods, CSRF refusals, crashes and domain errors alike."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code
    assert body["message"] and not body["message"].isascii()  # a Chinese sentence for people
    return body


def test_an_unknown_api_url_is_a_json_404_and_a_page_url_still_a_page():
    _error(Client().get("/api/no-such-thing"), 404, "not_found")
    _error(Client().get("/api/"), 404, "not_found")
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_is_a_json_405_naming_the_allowed_ones():
    body = _error(Client().delete("/api/policies/search"), 405, "method_not_allowed")
    assert body["detail"] == {"allowed": ["GET"]}


def test_a_session_post_without_csrf_token_is_a_json_403(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["enterprise"])
    response = client.post("/api/rules/deliveries/1/confirm", data="{}", content_type="application/json")
    _error(response, 403, "permission_denied")


def test_a_crash_in_an_endpoint_is_a_json_500_and_is_logged(monkeypatch, caplog):
    from tongchou.policies import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "measure_search", broken)
    response = Client(raise_request_exception=False).get("/api/policies/search?q=稳岗")
    _error(response, 500, "server_error")
    assert "boom" not in response.content.decode()  # no internals leak to the caller
    assert any("接口处理出错" in r.getMessage() for r in caplog.records)


def test_domain_errors_keep_their_own_codes(client_as):
    _error(client_as("leader").get("/api/enterprises/999999999"), 404, "not_found")
    _error(client_as("enterprise").get("/api/enterprises/size-class"), 400, "size_class_input")


def test_an_unknown_appeal_action_has_its_own_code(client_as, users):
    from tongchou.appeals.tests.access_expectations import fixture

    number = fixture(users)["number"]
    response = client_as("admin").post(
        f"/api/appeals/{number}/actions/fly", data={}, content_type="application/json"
    )
    body = _error(response, 404, "unknown_action")
    assert body["detail"] == {"action": "fly"}
