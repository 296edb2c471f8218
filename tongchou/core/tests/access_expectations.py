"""Who may open the core and accounts URLs. See tongchou/core/tests/test_access_matrix.py."""

from tongchou.accounts.tests.expect import everyone, logged_in, page, row

LOGGED_IN_API = logged_in(200, anonymous=401)

EXPECTED = {
    "core:healthz": everyone(200),
    "dashboard:home": everyone(200),
    # the command centre: leaders and administrators
    "dashboard:command": page("leader", "admin"),
    "accounts:notifications": logged_in(200),
    # POST-only: GET is refused for those let through the role check
    "accounts:notifications_read": logged_in(405),
    # POST-only, open to everyone (the 关怀模式 switch in the header)
    "core:care_mode": everyone(405),
    # logged-in users are redirected away from the login form
    "accounts:login": row(anonymous=200, default=302),
    "accounts:logout": everyone(405),  # logout is POST-only
    "accounts:password_change": logged_in(200),
    "accounts:password_change_done": logged_in(200),
    "admin:index": row(anonymous=302, default=302, admin=200),
    "api:me": LOGGED_IN_API,
    "api:openapi-json": everyone(200),
    "api:openapi-view": everyone(200),
    "api:api-root": everyone(404),  # /api/ itself lists nothing; the docs are at /api/docs
}
