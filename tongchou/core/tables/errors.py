"""Errors and bounds of the table reader."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tongchou.core.errors import ValidationFailed


class TableError(ValidationFailed):
    """The file as a whole cannot be read (type, size, format, header, length). Codes:
    ``import_file_type``, ``import_file_too_large``, ``import_file_unreadable``,
    ``import_file_empty``, ``import_too_many_rows``, ``import_header_invalid``."""

    code = "import_file_unreadable"


class CellError(ValueError):
    """One cell's value is not what its column needs; the message is Chinese."""


@dataclass
class RowError:
    """A problem at one place of a file. ``row`` is the row number a person sees in Excel
    (header = 1); ``column`` the header as written ("" for the whole row); ``position`` the
    column's number (1 = A) where a header itself is the problem, else 0."""

    row: int
    column: str
    value: str
    message: str
    position: int = 0

    def as_dict(self) -> dict[str, Any]:
        """``{row, column, value, message}`` (+ ``position`` for a header problem)."""
        d = asdict(self)
        if not self.position:
            del d["position"]
        return d

    def text(self) -> str:
        """The problem in one Chinese sentence: 第3行“参保职工人数”列：“三十”不是数字."""
        if self.position:
            where = f"第{self.row}行第{self.position}列"
        elif self.column:
            where = f"第{self.row}行“{self.column}”列"
        else:
            where = f"第{self.row}行"
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class Limits:
    """Bounds checked before and while reading. ``max_rows`` counts data rows (header excluded);
    ``max_cells`` bounds the sheet's dense rectangle (rows × columns, what calamine allocates);
    ``max_xml_bytes`` the decompressed size of each part of an .xlsx that is read."""

    max_bytes: int = 30 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 128
    max_cells: int = 8_000_000
    max_xml_bytes: int = 600 * 1024 * 1024


UPLOAD_LIMITS = Limits()
CLI_LIMITS = Limits(
    max_bytes=4 * 1024**3,
    max_rows=2_000_000,
    max_columns=512,
    max_cells=200_000_000,
    max_xml_bytes=16 * 1024**3,
)
