"""One error hierarchy with stable codes.

The API renders ``{"code", "message", "detail"}``; the browser gets a friendly page. Messages are
Chinese and say what was wrong, where, and what to do.
"""

from __future__ import annotations

from typing import Any


class TongchouError(Exception):
    """Base of all domain errors. ``code`` is stable and documented; ``message`` is for people."""

    code = "error"
    status = 400

    def __init__(
        self, message: str, *, code: str | None = None, detail: Any = None, status: int | None = None
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class ValidationFailed(TongchouError):
    """Input was wrong; ``detail`` lists the problems (row, field, reason)."""

    code = "validation_failed"


class NotFound(TongchouError):
    """Missing, or not yours: the two are deliberately indistinguishable."""

    code = "not_found"
    status = 404


class PermissionDenied(TongchouError):
    code = "permission_denied"
    status = 403


class IllegalTransition(TongchouError):
    """A state machine refused a move (e.g. rating an appeal that was never answered)."""

    code = "illegal_transition"
    status = 409


class Conflict(TongchouError):
    code = "conflict"
    status = 409
