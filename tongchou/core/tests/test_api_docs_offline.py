"""/api/docs works on an isolated network: Swagger UI comes from our own static files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_list_the_operations_with_every_remote_request_blocked(page, live_server, screenshot_dir):
    blocked = []

    def only_local(route):
        url = route.request.url
        if url.startswith(live_server.url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/appeals/" in paths and "/api/core/me" in paths
    schema = page.request.get(f"{live_server.url}/api/openapi.json").json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert page.locator(".opblock").count() == operations  # every operation is listed
    assert "统筹平台 API" in page.locator(".info .title").inner_text()
    assert blocked == []
    page.screenshot(path=screenshot_dir / "api-docs-offline.png")


def test_the_docs_page_names_only_local_assets(client):
    html = client.get("/api/docs").content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
