"""Login, lock-out, password change, CSRF and API tokens, through the pages and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from tongchou.accounts.models import ApiToken
from tongchou.core.models import AuditEntry


@pytest.mark.django_db
def test_login_with_right_password_reaches_home_and_shows_role(users):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "t_department", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].username == "t_department"
    assert "部门工作人员" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_refused_with_chinese_message(users):
    response = Client().post(reverse("accounts:login"), {"username": "t_department", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_for_the_right_password(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "t_leader", "password": "wrong"})
    locked = client.post(reverse("accounts:login"), {"username": "t_leader", "password": PASSWORD})
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert not locked.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_lockout_of_one_user_does_not_lock_another(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "t_leader", "password": "wrong"})
    ok = client.post(reverse("accounts:login"), {"username": "t_bank", "password": PASSWORD})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_password_change_requires_old_password_and_new_one_works(users, client_as):
    client = client_as("enterprise")
    bad = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"},
    )
    assert bad.status_code == 200 and "旧密码" in bad.content.decode()
    good = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"},
    )
    assert good.status_code == 302
    relogin = Client().post(
        reverse("accounts:login"), {"username": "t_enterprise", "password": "Xin-mima-2026!"}
    )
    assert relogin.status_code == 302 and relogin.wsgi_request.user.is_authenticated


def test_production_hasher_is_argon2():
    from django.conf import settings

    # the autouse fixture swaps hashers only inside tests that take `settings`; the module setting stays
    import tongchou.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "t_admin", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_api_bearer_token_authenticates_a_system_and_revocation_stops_it(users):
    token, raw = ApiToken.issue(user=users["department"], name="12345热线")
    client = Client()
    ok = client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200
    assert ok.json()["role"] == "department"
    assert ApiToken.objects.get(pk=token.pk).key_hash != raw  # only the hash is stored
    token.revoked = True
    token.save()
    refused = client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_api_without_credentials_answers_401_in_chinese():
    response = Client().get("/api/core/me")
    assert response.status_code == 401
    assert "登录" in response.json()["message"]


@pytest.mark.django_db
def test_issue_token_command_prints_a_token_that_works(users, capsys):
    from django.core.management import call_command

    call_command("issue-token", "t_leader", "--name", "测试")
    raw = capsys.readouterr().out.strip()
    assert Client().get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "t_leader"


@pytest.mark.django_db
def test_audit_record_keeps_actor_and_object(users):
    from tongchou.core.audit import audit_record

    entry = audit_record(actor=users["admin"], action="view_phone", obj=users["enterprise"].enterprise)
    assert AuditEntry.objects.get(pk=entry.pk).actor == users["admin"]
    assert entry.object_type == "enterprises.enterprise"


@pytest.mark.django_db
def test_token_last_used_is_recorded_at_most_once_a_minute(users, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    token, raw = ApiToken.issue(user=users["department"], name="热线")
    client = Client()
    client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, 30, tzinfo=dt.UTC))
    client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 1, 30, tzinfo=dt.UTC))
    client.get("/api/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
