"""Who may use the facts URLs. See tongchou/core/tests/test_access_matrix.py."""

from tongchou.accounts.tests.expect import api

EXPECTED = {
    # allowed roles get 400 (no file attached); the role check comes first
    "api:facts_import": api("department", "admin", ok=400),
}
METHOD = {"api:facts_import": "post"}
