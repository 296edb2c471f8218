"""Who may open the enterprise registry's URLs. See tongchou/core/tests/test_access_matrix.py."""

from tongchou.accounts.tests.expect import api, page

STAFF_OK = page("department", "leader", "admin")
IMPORTERS_OK = page("department", "admin")
API_STAFF = api("department", "leader", "admin")
# the checks anyone with an account of the first five roles may call
API_CHECKS = ("enterprise", "department", "leader", "bank", "admin")


def _own_enterprise(users):
    return {"enterprise_id": users["enterprise"].enterprise_id}


EXPECTED = {
    "enterprises:list": STAFF_OK,
    "enterprises:export": STAFF_OK,
    "enterprises:detail": STAFF_OK,
    "enterprises:template": STAFF_OK,
    "enterprises:import": IMPORTERS_OK,
    "enterprises:mine": page("enterprise"),
    "api:enterprise_list": API_STAFF,
    "api:enterprise_detail": API_STAFF,
    # allowed roles get 400 (no file attached); the role check comes first
    "api:enterprise_import": api("department", "admin", ok=400),
    "api:uscc_check": api(*API_CHECKS),
    # without --industry the answer is a 400 naming the missing input
    "api:size_class": api(*API_CHECKS, ok=400),
}
KWARGS = {
    "enterprises:detail": _own_enterprise,
    "api:enterprise_detail": _own_enterprise,
}
METHOD = {"api:enterprise_import": "post"}
