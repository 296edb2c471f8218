"""The command centre: tiles and panels of every app for the region looked at, drill-down inside the
user's scope only, and a new app's tile and nav entry from one provider module."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

SAMPLE = "tongchou.dashboard.tests.sample_provider"


def _tile(html: str, label: str) -> int:
    match = re.search(rf'<div class="label">{label}</div>\s*<div class="value">(\d+)', html)
    assert match, f"no tile {label}"
    return int(match.group(1))


def test_the_city_leader_sees_its_districts_and_drills_down_into_one(client_as, make_enterprise):
    make_enterprise(region_code="370306")  # 周村 (plus the fixture's enterprise there)
    make_enterprise(region_code="370303")  # 张店
    make_enterprise(region_code="370102")  # 济南: outside the leader's city
    client = client_as("leader")
    html = client.get("/dashboard/").content.decode()
    assert "淄博市" in html and "周村区" in html and "张店区" in html
    assert _tile(html, "市场主体") == 3
    assert "市场主体分布" in html and "诉求办理状态" in html and "免申即享兑现进度" in html
    assert re.search(r'<th scope="row">周村区</th><td class="num">2</td>', html)

    zhoucun = client.get("/dashboard/?region=370306").content.decode()
    assert _tile(zhoucun, "市场主体") == 2
    assert "丝绸路街道" in zhoucun  # the towns one level down
    assert 'href="?region=370300">淄博市</a>' in zhoucun  # back up the trail


def test_a_region_outside_the_users_scope_is_not_found(client_as):
    response = client_as("leader").get("/dashboard/?region=370102")  # Jinan, not the Zibo leader's
    assert response.status_code == 404
    assert client_as("leader").get("/dashboard/?region=999999").status_code == 404
    assert client_as("admin").get("/dashboard/?region=370102").status_code == 200


def test_the_command_centre_is_for_leaders_and_administrators_only(client_as):
    for role in ("department", "enterprise", "supervisor", "health", "evaluator"):
        assert client_as(role).get("/dashboard/").status_code == 403, role
    html = client_as("leader").get("/").content.decode()
    assert 'href="/dashboard/"' in html  # the leader's navigation has it


def test_a_new_module_adds_a_tile_and_a_nav_entry_with_one_provider(client_as, settings):
    settings.TONGCHOU_DASHBOARD_PROVIDERS = [*settings.TONGCHOU_DASHBOARD_PROVIDERS, SAMPLE]
    health = client_as("health").get("/").content.decode()
    assert _tile(health, "风险点位") == 7
    assert ">防疫检查</a>" in health
    # tiles are ordered across apps by `order`: the sample's (5) comes before the registry's (10)
    leader = client_as("leader").get("/").content.decode()
    assert leader.index("风险点位") < leader.index("市场主体")
    command = client_as("leader").get("/dashboard/?region=370306").content.decode()
    assert "风险点位分布" in command and "范围：周村区" in command
    # a role the provider does not name sees neither
    assert "风险点位" not in client_as("department").get("/").content.decode()


def test_the_new_roles_see_their_home_and_the_policy_library_only(client_as):
    for role in ("supervisor", "regulator", "health", "community_worker", "evaluator"):
        response = client_as(role).get("/")
        html = response.content.decode()
        nav = re.findall(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)[0]
        assert re.findall(r">([^<]+)</a>", nav) == ["首页", "政策库"], role
        assert 'class="kpi' not in html
        assert client_as(role).get("/policies/").status_code == 200


def test_a_nav_entry_naming_no_url_is_a_system_check_error(settings, tmp_path, monkeypatch):
    import sys

    from django.core.checks import run_checks

    (tmp_path / "broken_provider.py").write_text(
        "from tongchou.core.providers import EVERYONE, NavEntry\nNAV = [NavEntry('坏', 'nowhere:page', EVERYONE)]\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.TONGCHOU_DASHBOARD_PROVIDERS = [*settings.TONGCHOU_DASHBOARD_PROVIDERS, "broken_provider"]
    ids = [e.id for e in run_checks() if e.id.startswith("tongchou.")]
    assert ids == ["tongchou.E004"]
    settings.TONGCHOU_DASHBOARD_PROVIDERS = [*settings.TONGCHOU_DASHBOARD_PROVIDERS, "no.such.provider"]
    assert "tongchou.E004" in [e.id for e in run_checks()]
    sys.modules.pop("broken_provider", None)
