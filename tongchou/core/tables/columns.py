"""Columns (key, Chinese label, aliases, type, unit), header mapping and row parsing (pure)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .cells import (
    _INVISIBLE,
    _unit_factor,
    clean_text,
    is_blank,
    to_bool,
    to_choice,
    to_date,
    to_int,
    to_number,
    to_text,
)
from .errors import CellError, RowError

if TYPE_CHECKING:
    from .reader import Table

TYPES = ("text", "number", "int", "bool", "date", "choice")


@dataclass(frozen=True)
class Column:
    """What a file's column may be called and hold. ``unit``: 元, 万元, 人 … (cells and headers
    in another money unit are converted); ``choices``: (stored value, Chinese label) pairs."""

    key: str
    label: str = ""
    type: str = "text"
    unit: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    negative: bool = True
    max_abs: Decimal | None = None  # numbers at or beyond this are refused (the column's size)

    def names(self) -> list[str]:
        return [self.key, *([self.label] if self.label else []), *self.aliases]

    def parse(self, value: Any, *, scale: Decimal | int = 1) -> Any:
        """The typed value of one cell (None when empty); raises CellError."""
        if is_blank(value):
            return None
        if self.type == "number":
            d = to_number(value, unit=self.unit, scale=scale)
            if d is not None and d < 0 and not self.negative:
                raise CellError("不能为负数")
            if d is not None and self.max_abs is not None and abs(d) >= self.max_abs:
                raise CellError("数值过大")
            return d
        if self.type == "int":
            n = to_int(value, unit=self.unit, scale=scale, negative=self.negative)
            if n is not None and self.max_abs is not None and abs(n) >= self.max_abs:
                raise CellError("数值过大")
            return n
        if self.type == "bool":
            return to_bool(value)
        if self.type == "date":
            return to_date(value)
        if self.type == "choice":
            return to_choice(value, self.choices)
        return to_text(value, max_length=self.max_length)


_UNIT_IN_HEADER = re.compile(r"[(（]([^()（）]*)[)）]\s*$")


def normalise_header(text: Any) -> str:
    """The comparable form of a header: NFKC, lower case, no spaces, no leading ``*`` (required
    marks), no unit in parentheses at the end."""
    s = unicodedata.normalize("NFKC", str(text or "")).translate(_INVISIBLE).strip().lower()
    s = re.sub(r"\s+", "", s).lstrip("*")
    return _UNIT_IN_HEADER.sub("", s) or s


def header_unit(text: Any) -> str:
    m = _UNIT_IN_HEADER.search(unicodedata.normalize("NFKC", str(text or "")).strip())
    return m[1].strip() if m else ""


@dataclass
class HeaderMatch:
    index: int  # position in the file's row
    text: str  # the header as written
    column: Column
    scale: Decimal = Decimal(1)  # header unit vs the column's unit (万元 header on a 元 column: 10000)


@dataclass
class HeaderResult:
    matches: list[HeaderMatch] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)

    def keys(self) -> list[str]:
        return [m.column.key for m in self.matches]


def name_index(columns: Iterable[Column]) -> dict[str, Column]:
    """Normalised key / label / alias → column (the first column claiming a name keeps it)."""
    out: dict[str, Column] = {}
    for col in columns:
        for name in col.names():
            out.setdefault(normalise_header(name), col)
    return out


def map_header(
    header: Sequence[Any], columns: Iterable[Column] | dict[str, Column], *, unknown: str = "error"
) -> HeaderResult:
    """Match a header row to columns by key, Chinese label or alias. ``unknown``: ``error``
    (each unknown header is a row-1 error), ``ignore`` (a warning) or ``keep`` (listed in
    ``unknown`` for the caller to judge). Duplicates and missing required columns are errors."""
    index = columns if isinstance(columns, dict) else name_index(columns)
    result = HeaderResult()
    seen: dict[str, str] = {}
    for i, h in enumerate(header):
        if not clean_text(h):
            continue
        text = h.strip() if isinstance(h, str) else clean_text(h)  # as written, for messages
        col = index.get(normalise_header(text))
        if col is None:
            if unknown == "error":
                result.errors.append(RowError(1, text, text, f"未知的列名“{text}”", position=i + 1))
            elif unknown == "ignore":
                result.warnings.append(f"已忽略无法识别的列“{text}”")
            result.unknown.append((i, text))
            continue
        if col.key in seen:
            result.errors.append(
                RowError(1, text, text, f"与“{seen[col.key]}”重复：同一字段出现两列", position=i + 1)
            )
            continue
        seen[col.key] = text
        scale = Decimal(1)
        written = header_unit(text)
        if written and col.type in ("number", "int") and col.unit and written != col.unit:
            try:
                scale = _unit_factor(written, col.unit, text)
            except CellError:
                result.errors.append(
                    RowError(
                        1, text, text, f"表头单位“{written}”与该数据的单位“{col.unit}”不符", position=i + 1
                    )
                )
                continue
        result.matches.append(HeaderMatch(i, text, col, scale))
    columns_list = list({id(c): c for c in index.values()}.values())
    for col in columns_list:
        if col.required and col.key not in seen:
            result.errors.append(
                RowError(1, "", "", f"缺少必填列“{col.label or col.key}”（或英文键 {col.key}）")
            )
    return result


@dataclass
class Record:
    row: int
    values: dict[str, Any]


@dataclass
class ParseResult:
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    header: HeaderResult | None = None
    rows_with_errors: int = 0


def parse_rows(
    table: Table,
    columns: Iterable[Column] | dict[str, Column],
    *,
    unknown: str = "error",
    max_errors: int = 500,
) -> ParseResult:
    """Header check, then every data row typed by its column: records for good rows, a
    :class:`RowError` for every bad cell (collection stops after ``max_errors``). A header error
    stops before any data row is read."""
    head = map_header(table.header, columns, unknown=unknown)
    result = ParseResult(warnings=list(head.warnings), header=head)
    if head.errors:
        result.errors = head.errors
        return result
    plan = [(m.index, m.text, m.column, m.scale) for m in head.matches]
    for rownum, cells in table.rows():
        values: dict[str, Any] = {}
        bad = False
        width = len(cells)
        for idx, text, col, scale in plan:
            raw = cells[idx] if idx < width else None
            try:
                values[col.key] = col.parse(raw, scale=scale)
            except CellError as err:
                bad = True
                if len(result.errors) < max_errors:
                    result.errors.append(RowError(rownum, text, clean_text(raw), str(err)))
        if bad:
            result.rows_with_errors += 1
        else:
            result.records.append(Record(rownum, values))
    return result
