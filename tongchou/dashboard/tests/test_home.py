"""The home page's figures follow the same scoping as the lists they link to."""

from __future__ import annotations

import re

import pytest


def _tile_value(html: str, label: str) -> int:
    match = re.search(rf'<div class="label">{label}</div>\s*<div class="value">(\d+)', html)
    assert match, f"no tile {label}"
    return int(match.group(1))


@pytest.mark.django_db
def test_leader_home_counts_only_enterprises_of_its_region(client_as, users, make_enterprise):
    make_enterprise(region_code="370303")  # Zibo, Zhangdian: inside the Zibo leader's region
    make_enterprise(region_code="370102")  # Jinan: outside
    html = client_as("leader").get("/").content.decode()
    from tongchou.enterprises.models import Enterprise

    zibo = Enterprise.objects.filter(region__code__startswith="3703").count()
    assert _tile_value(html, "市场主体") == zibo
    assert zibo < Enterprise.objects.count()


@pytest.mark.django_db
def test_enterprise_home_shows_its_own_figures_not_the_registry(client_as):
    html = client_as("enterprise").get("/").content.decode()
    assert "可享受政策" in html and "我的诉求" in html
    assert '<div class="label">市场主体</div>' not in html


@pytest.mark.django_db
def test_public_home_has_no_figures(client):
    html = client.get("/").content.decode()
    assert 'class="kpi' not in html
    assert "登录平台" in html


def test_demo_enterprise_has_a_valid_uscc():
    from tongchou.enterprises.demo import DEMO_ENTERPRISE
    from tongchou.enterprises.uscc import check

    assert check(DEMO_ENTERPRISE["uscc"]).valid


@pytest.mark.django_db
def test_only_the_deepest_matching_section_is_marked_active(client_as):
    html = client_as("leader").get("/appeals/figures/").content.decode()
    active = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">', html)
    assert active == ["/appeals/figures/"]
