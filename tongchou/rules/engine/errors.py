"""Errors of the rule compiler: Chinese messages that point at the spot."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ErrorDetail:
    """One problem in a rule. ``field`` names the part of the rule (e.g.
    ``conditions[1].expression``, ``benefit.formula``, ``measure_id``); ``line`` and
    ``column`` are 1-based positions inside that field's text (0 when not applicable)."""

    code: str
    message: str  # Chinese, already prefixed with 第X行第Y列 when a position is known
    field: str = ""
    line: int = 0
    column: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


class RuleError(Exception):
    """Raised when a rule (or a rule file) cannot be used. ``errors`` lists every problem."""

    code = "rule_invalid"

    def __init__(self, errors: list[ErrorDetail], *, source: str = ""):
        self.errors = errors
        self.source = source
        head = f"{source}：" if source else ""
        super().__init__(head + "；".join(e.message for e in errors))

    @property
    def message(self) -> str:
        return str(self)


class FactsError(Exception):
    """Bad enterprise facts input (file or frame): the message names row, column, value."""

    code = "facts_invalid"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def at(line: int, column: int, message: str) -> str:
    if line:
        return f"第{line}行第{column}列：{message}"
    return message
