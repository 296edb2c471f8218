"""Fixtures shared by every app's tests: one user per role, clients logged in as them, and a real
browser (Debian's chromium driven by Playwright) for page tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TONGCHOU_HOME", str(Path(__file__).parent / "var" / "test"))
# Playwright's sync API runs an event loop; Django refuses DB access from "async" contexts unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = [
    "anonymous",
    "enterprise",
    "department",
    "leader",
    "bank",
    "admin",
    "supervisor",
    "regulator",
    "health",
    "community_worker",
    "evaluator",
]
PASSWORD = "Test-passw0rd!"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with no in-process caches of enterprise data: a rolled-back test leaves no
    change event behind, and the next one may reuse the same ids and frozen timestamps."""
    from tongchou.core.cache import clear_all
    from tongchou.core.signals import enterprise_data_changed

    clear_all()
    enterprise_data_changed.send(sender="tests")


@pytest.fixture(autouse=True)
def _real_clock():
    """A test that runs the demo command moves this process's clock into 2020; put it back."""
    yield
    from tongchou.core import clock

    clock.reset_demo_clock()


@pytest.fixture
def reference_data(db):
    """Regions, departments and industries. A data migration loads them, but transactional tests
    (live server, browser) flush the tables afterwards, so reload when they are gone."""
    from tongchou.regions.models import Region
    from tongchou.regions.reference import load_reference_data

    if not Region.objects.filter(code="370306").exists():
        load_reference_data()


@pytest.fixture
def zhoucun(reference_data):
    from tongchou.regions.models import Region

    return Region.objects.get(code="370306")


@pytest.fixture
def department(db, zhoucun):
    from tongchou.regions.models import Department

    return Department.objects.filter(region=zhoucun).order_by("sort_order").first()


@pytest.fixture
def make_enterprise(db):
    """Factory for an enterprise with a valid USCC in the given region."""
    from tongchou.enterprises.models import Enterprise

    counter = {"n": 0}

    def make(*, region_code: str = "370306", name: str | None = None, **fields):
        from tongchou.enterprises.uscc import make_uscc

        counter["n"] += 1
        n = counter["n"]
        uscc = fields.pop("uscc", None) or make_uscc(region_code, 900000 + n)
        return Enterprise.objects.create(
            uscc=uscc, name=name or f"测试企业{n}有限公司", region_id=region_code, **fields
        )

    return make


@pytest.fixture
def users(db, department, make_enterprise):
    """One user per logged-in role (``ROLES``), bound as that role needs (``User.full_clean`` passes);
    ``users["anonymous"]`` is None."""
    from tongchou.accounts.models import User
    from tongchou.financing.models import Bank

    ent = make_enterprise(
        name="测试纺织有限公司", employees=50, size_class="small", contact_phone="13800001111"
    )
    bank = Bank.objects.create(name="测试银行", region_id="370306")
    spec = {
        "enterprise": {"enterprise": ent},
        "department": {"department": department},
        "leader": {"region_id": "370300"},
        "bank": {"bank": bank, "region_id": "370306"},
        "admin": {"is_staff": True, "is_superuser": True},
        "supervisor": {"region_id": "370300"},  # 淄博市委市政府督查室
        "regulator": {"region_id": "370300"},  # 淄博市地方金融监管局
        "health": {"region_id": "370306"},  # 周村区卫生健康局
        "community_worker": {"region_id": "370306001"},  # 丝绸路街道的网格员
        "evaluator": {"region_id": "370306"},  # 受托评估周村区的第三方
    }
    out = {"anonymous": None}
    for role, extra in spec.items():
        user = User(username=f"t_{role}", role=role, display_name=f"测试{role}", **extra)
        user.set_password(PASSWORD)
        user.full_clean()
        user.save()
        out[role] = user
    return out


@pytest.fixture
def client_as(client, users):
    """``client_as("department")`` returns a test client logged in with that role (anonymous: not)."""
    from django.test import Client

    def make(role: str) -> Client:
        c = Client()
        if users.get(role) is not None:
            c.force_login(users[role])
        return c

    return make


@pytest.fixture(scope="session")
def browser():
    pw_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        if os.environ.get("TONGCHOU_REQUIRE_BROWSER"):
            pytest.fail(f"chromium not found at {executable} (CI installs it: apt-get install chromium)")
        pytest.skip(f"chromium not found at {executable}")
    with pw_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def login_page(page, live_server, users):
    """Log a browser page in through the real login form as ``role``."""

    def login(role: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", users[role].username)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return login


@pytest.fixture
def screenshot_dir() -> Path:
    path = Path(__file__).parent / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
