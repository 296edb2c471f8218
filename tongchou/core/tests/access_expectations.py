"""Who may open the core and accounts URLs. See tongchou/core/tests/test_access_matrix.py."""

ALL_OK = {r: 200 for r in ["anonymous", "enterprise", "department", "leader", "bank", "admin"]}
LOGGED_IN_OK = {
    "anonymous": 302,
    "enterprise": 200,
    "department": 200,
    "leader": 200,
    "bank": 200,
    "admin": 200,
}
API_LOGGED_IN = {
    "anonymous": 401,
    "enterprise": 200,
    "department": 200,
    "leader": 200,
    "bank": 200,
    "admin": 200,
}

EXPECTED = {
    "core:home": ALL_OK,
    "core:healthz": ALL_OK,
    "core:notifications": LOGGED_IN_OK,
    # POST-only: GET is refused for those let through the role check
    "core:notifications_read": {**{r: 405 for r in LOGGED_IN_OK}, "anonymous": 302},
    # logged-in users are redirected away from the login form
    "accounts:login": {**{r: 302 for r in ALL_OK}, "anonymous": 200},
    "accounts:logout": {r: 405 for r in ALL_OK},  # logout is POST-only
    "accounts:password_change": LOGGED_IN_OK,
    "accounts:password_change_done": LOGGED_IN_OK,
    "admin:index": {
        "anonymous": 302,
        "enterprise": 302,
        "department": 302,
        "leader": 302,
        "bank": 302,
        "admin": 200,
    },
    "api:me": API_LOGGED_IN,
    "api:openapi-json": ALL_OK,
    "api:openapi-view": ALL_OK,
    "api:api-root": {r: 404 for r in ALL_OK},  # /api/ itself lists nothing; the docs are at /api/docs
}
