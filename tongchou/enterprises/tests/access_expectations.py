"""Who may open the enterprise registry's URLs. See tongchou/core/tests/test_access_matrix.py."""

STAFF_OK = {"anonymous": 302, "enterprise": 403, "department": 200, "leader": 200, "bank": 403, "admin": 200}
IMPORTERS_OK = {**STAFF_OK, "leader": 403}
API_STAFF = {"anonymous": 401, "enterprise": 403, "department": 200, "leader": 200, "bank": 403, "admin": 200}
API_LOGGED_IN = {
    "anonymous": 401,
    "enterprise": 200,
    "department": 200,
    "leader": 200,
    "bank": 200,
    "admin": 200,
}


def _own_enterprise(users):
    return {"enterprise_id": users["enterprise"].enterprise_id}


EXPECTED = {
    "enterprises:list": STAFF_OK,
    "enterprises:export": STAFF_OK,
    "enterprises:detail": STAFF_OK,
    "enterprises:template": STAFF_OK,
    "enterprises:import": IMPORTERS_OK,
    "enterprises:mine": {
        "anonymous": 302,
        "enterprise": 200,
        "department": 403,
        "leader": 403,
        "bank": 403,
        "admin": 403,
    },
    "api:enterprise_list": API_STAFF,
    "api:enterprise_detail": API_STAFF,
    # allowed roles get 400 (no file attached); the role check comes first
    "api:enterprise_import": {**API_STAFF, "department": 400, "leader": 403, "admin": 400},
    "api:uscc_check": API_LOGGED_IN,
    # without --industry the answer is a 400 naming the missing input
    "api:size_class": {**{r: 400 for r in API_LOGGED_IN}, "anonymous": 401},
}
KWARGS = {
    "enterprises:detail": _own_enterprise,
    "api:enterprise_detail": _own_enterprise,
}
METHOD = {"api:enterprise_import": "post"}
