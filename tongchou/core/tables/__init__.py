"""The one reader of spreadsheets people upload (.xlsx, .csv), and the one rule for the ones we write.

Pure (no Django). Every importer — the registry, department facts, `tongchou match`, and the coming
daily reports, case reports, project and financing lists — reads through :func:`open_table`:

* **bounds first**: the file's size is checked before it is opened; an .xlsx must be a real zip
  (a renamed file gets a Chinese message, not a traceback); the header row is read on its own
  (streamed from the sheet, shared strings resolved) so a wrong header is refused before any data
  row is read; then the sheet is scanned in bounded chunks — rows, cells, columns and bytes
  counted — before calamine loads it, so a 700 KB "zip bomb" of millions of rows is refused after
  reading a few percent of it, with memory that does not grow with the file;
* **rows streamed**: :meth:`Table.rows` yields ``(row number as Excel shows it, cells)`` one by one,
  blank rows skipped; :meth:`Table.frame` gives a polars frame of strings for vectorised readers;
* **messy cells**: :func:`to_number` (full-width digits, thousands separators, stray spaces, units
  such as 万元 vs 元, %), :func:`to_bool` (是/否, true/false, 1/0, 对/错, √/×), :func:`to_date`
  (2020-04-01, 2020/4/1, 2020年4月1日, 20200401, Excel serials), :func:`to_text`, :func:`to_choice`;
  they raise :class:`CellError` with a Chinese reason;
* **headers** map by key, Chinese label or alias (:class:`Column`, :func:`map_header`), units in
  a header's parentheses are understood; :func:`parse_rows` turns a table into records and
  :class:`RowError` (row, column, value, message) for every bad cell.

Writing: :func:`escape_formula` / :func:`safe_row` make a cell that starts with ``= + - @`` plain
text, so a name like ``=HYPERLINK(…)`` never becomes a live formula in an export.
"""

from __future__ import annotations

from .cells import (
    EMPTY_WORDS,
    FALSE_WORDS,
    TRUE_WORDS,
    clean_text,
    is_blank,
    to_bool,
    to_choice,
    to_date,
    to_int,
    to_number,
    to_text,
)
from .columns import (
    Column,
    HeaderMatch,
    HeaderResult,
    ParseResult,
    Record,
    header_unit,
    map_header,
    name_index,
    normalise_header,
    parse_rows,
)
from .errors import CLI_LIMITS, UPLOAD_LIMITS, CellError, Limits, RowError, TableError
from .reader import CSV_SUFFIXES, XLSX_SUFFIXES, CsvTable, Table, XlsxTable, open_table
from .writing import escape_formula, safe_row

__all__ = [
    "CLI_LIMITS",
    "CSV_SUFFIXES",
    "EMPTY_WORDS",
    "FALSE_WORDS",
    "TRUE_WORDS",
    "UPLOAD_LIMITS",
    "XLSX_SUFFIXES",
    "CellError",
    "Column",
    "CsvTable",
    "HeaderMatch",
    "HeaderResult",
    "Limits",
    "ParseResult",
    "Record",
    "RowError",
    "Table",
    "TableError",
    "XlsxTable",
    "clean_text",
    "escape_formula",
    "header_unit",
    "is_blank",
    "map_header",
    "name_index",
    "normalise_header",
    "open_table",
    "parse_rows",
    "safe_row",
    "to_bool",
    "to_choice",
    "to_date",
    "to_int",
    "to_number",
    "to_text",
]
