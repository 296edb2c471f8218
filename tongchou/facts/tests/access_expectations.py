"""Who may use the facts URLs. See tongchou/core/tests/test_access_matrix.py."""

EXPECTED = {
    # allowed roles get 400 (no file attached); the role check comes first
    "api:facts_import": {
        "anonymous": 401,
        "enterprise": 403,
        "department": 400,
        "leader": 403,
        "bank": 403,
        "admin": 400,
    },
}
METHOD = {"api:facts_import": "post"}
