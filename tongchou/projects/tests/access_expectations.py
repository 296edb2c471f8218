"""Who may open the projects URLs (core/tests/test_access_matrix.py; rows with accounts/tests/expect.py)."""

from __future__ import annotations

EXPECTED: dict[str, dict[str, int]] = {}
