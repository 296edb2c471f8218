"""The accessible building blocks without a browser: the 关怀模式 switch, the field partial's
label/help/error wiring, the template filters, the crawler's route grouping."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.template.loader import render_to_string

from tongchou.core.care import COOKIE
from tongchou.core.templatetags.tongchou_ui import as_list, fulldate, pluck
from tongchou.testing.crawl import route_of


@pytest.mark.django_db
def test_care_mode_switch_sets_the_cookie_and_returns_to_the_page(client):
    r = client.post("/care-mode/", {"on": "1", "next": "/policies/?q=税"})
    assert r.status_code == 302 and r["Location"] == "/policies/?q=%E7%A8%8E"
    assert r.cookies[COOKIE].value == "1" and r.cookies[COOKIE]["max-age"] >= 300 * 24 * 3600
    page = client.get("/policies/")
    assert b'<html lang="zh-Hans" class="care">' in page.content
    assert b'aria-pressed="true"' in page.content
    off = client.post("/care-mode/", {"on": "0", "next": "/"})
    assert off.cookies[COOKIE].value == ""  # deleted
    assert b'class="care"' not in client.get("/").content


@pytest.mark.django_db
def test_care_mode_switch_never_redirects_to_another_site(client):
    r = client.post("/care-mode/", {"on": "1", "next": "https://evil.example/"})
    assert r["Location"] == "/"


@pytest.mark.django_db
def test_every_page_has_a_skip_link_landmarks_and_the_language(client):
    html = client.get("/policies/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert 'class="skip-link" href="#main"' in html and '<main class="container" id="main"' in html
    assert re.search(r'<nav class="mainnav" id="mainnav" aria-label="主导航">', html)
    assert 'class="active" aria-current="page">政策库</a>' in html  # the current section


class _Form(forms.Form):
    name = forms.CharField(label="企业名称", help_text="与营业执照一致", max_length=5)
    size = forms.ChoiceField(label="规模", choices=[("s", "小型"), ("m", "中型")], widget=forms.RadioSelect)


def test_field_partial_ties_label_help_and_error_to_the_control():
    form = _Form(data={"name": "名称过长的企业"})
    html = render_to_string("core/_form_fields.html", {"form": form})
    assert '<label for="id_name">企业名称' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html and 'aria-invalid="true"' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    assert '<div class="alert alert-error error-summary" role="alert"' in html
    assert '<a href="#id_name">企业名称：' in html
    # a radio group is a fieldset named by its legend
    assert re.search(r"<fieldset[^>]*><legend>规模", html)


def test_filters_for_tables_and_dates():
    rows = [{"day": "2020-03-20", "total": 3}, {"day": "2020-03-21", "total": 1}]
    assert pluck(rows, "day,total") == [["2020-03-20", 3], ["2020-03-21", 1]]
    assert as_list("日期，受理（件）") == ["日期", "受理（件）"]
    assert fulldate(dt.date(2020, 4, 15)) == "2020年4月15日"
    assert fulldate("2020-03-06") == "2020年3月6日"
    assert fulldate(None) == ""


def test_data_table_partial_has_caption_headers_and_row_headers():
    html = render_to_string(
        "core/_data_table.html",
        {"caption": "每日受理", "columns": "日期,受理（件）", "rows": [["2020-03-20", 3]]},
    )
    assert "<caption>每日受理</caption>" in html
    assert '<th scope="col">日期</th><th scope="col" class="num">受理（件）</th>' in html
    assert '<th scope="row">2020-03-20</th><td class="num">3</td>' in html


@pytest.mark.django_db
def test_crawler_groups_urls_by_route_and_query_names():
    assert route_of("/policies/?topic=tax&page=2") == "policies:list?page&topic"
    assert route_of("/policies/?page=3&topic=x") == route_of("/policies/?topic=tax&page=2")
    assert route_of("/appeals/ZB20200301-000001/") == route_of("/appeals/ZB20200302-000007/")
    assert route_of("/no/such/page/").startswith("404:")
