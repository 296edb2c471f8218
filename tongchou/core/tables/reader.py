"""Opening .xlsx / .csv files with bounds checked first; rows streamed (pure)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .cells import clean_text, is_blank
from .errors import UPLOAD_LIMITS, Limits, TableError

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
_NOT_XLSX = "无法读取该 Excel 文件：它不是有效的 .xlsx 文件（可能已损坏，或是改了扩展名的其他文件），请在 Excel 中另存为 .xlsx 后重新上传"


def open_table(source: Any, *, filename: str | None = None, limits: Limits = UPLOAD_LIMITS) -> Table:
    """Open an uploaded or local .xlsx/.csv file. ``source``: a path, bytes, or a file object
    (Django's UploadedFile included). Checks the size and the format and reads the header row;
    data rows are read only when :meth:`Table.rows` / :meth:`Table.frame` is called."""
    name = filename or str(getattr(source, "name", "") or (source if isinstance(source, str | Path) else ""))
    suffix = Path(name).suffix.lower()
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES:
        raise TableError(
            f"不支持的文件类型“{suffix or name}”：请使用 .xlsx 或 .csv 文件", code="import_file_type"
        )
    path, fileobj = _locate(source)
    size = _size(path, fileobj)
    if size == 0:
        raise TableError("文件为空：第1行应为表头", code="import_file_empty")
    if size > limits.max_bytes:
        raise TableError(
            f"文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {limits.max_bytes / 1024 / 1024:.0f} MB；请拆分后分批导入",
            code="import_file_too_large",
        )
    magic = _peek(path, fileobj, 8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            "这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后重新上传", code="import_file_type"
        )
    if suffix in XLSX_SUFFIXES or magic.startswith(b"PK\x03\x04"):
        if not magic.startswith(b"PK"):
            raise TableError(_NOT_XLSX)
        return XlsxTable(path, fileobj, limits)
    return CsvTable(path, fileobj, limits)


def _locate(source: Any) -> tuple[str | None, Any]:
    if isinstance(source, str | Path):
        if not Path(source).exists():
            raise FileNotFoundError(str(source))
        return str(source), None
    if isinstance(source, bytes | bytearray):
        return None, io.BytesIO(source)
    temp = getattr(source, "temporary_file_path", None)
    if callable(temp):
        return temp(), None
    return None, source


def _size(path: str | None, fileobj: Any) -> int:
    if path is not None:
        return os.path.getsize(path)
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _peek(path: str | None, fileobj: Any, n: int) -> bytes:
    if path is not None:
        with open(path, "rb") as f:
            return f.read(n)
    fileobj.seek(0)
    data = fileobj.read(n)
    fileobj.seek(0)
    return data if isinstance(data, bytes) else data.encode()


class Table:
    """An opened file: ``header`` (the first non-empty row, as written) and the data rows."""

    header: list[Any]
    limits: Limits

    def rows(self) -> Iterator[tuple[int, tuple]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def frame(self):
        """All data rows as a polars frame of strings (one column per non-empty header, as
        written), plus a ``__row__`` column with each row's number; blank rows skipped."""
        import polars as pl

        names = [(i, clean_text(h)) for i, h in enumerate(self.header) if clean_text(h)]
        data: dict[str, list] = {name: [] for _, name in names}
        numbers: list[int] = []
        for rownum, cells in self.rows():
            numbers.append(rownum)
            width = len(cells)
            for i, name in names:
                v = cells[i] if i < width else None
                data[name].append(None if is_blank(v) else _as_text(v))
        frame = pl.DataFrame(data, schema={name: pl.String for _, name in names})
        return frame.with_columns(pl.Series("__row__", numbers, dtype=pl.Int64))

    def _too_many(self) -> TableError:
        return TableError(
            f"文件超过 {self.limits.max_rows:,} 行数据的上限：请拆分后分批导入", code="import_too_many_rows"
        )

    def close(self) -> None:
        pass

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _as_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# --- CSV -------------------------------------------------------------------------------------
class CsvTable(Table):
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""

    def __init__(self, path: str | None, fileobj: Any, limits: Limits):
        self.limits = limits
        if path is not None:
            raw = Path(path).read_bytes()
        else:
            fileobj.seek(0)
            raw = fileobj.read(limits.max_bytes + 1)
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
        self.text = _decode(raw)
        del raw
        reader = csv.reader(io.StringIO(self.text, newline=""))
        self.header = []
        self._skip = 0
        for record in reader:
            self._skip += 1
            if any(not is_blank(c) for c in record):
                self.header = record
                break
        if not self.header:
            raise TableError("文件为空：第1行应为表头", code="import_file_empty")

    def rows(self) -> Iterator[tuple[int, tuple]]:
        reader = csv.reader(io.StringIO(self.text, newline=""))
        for _ in range(self._skip):
            next(reader, None)
        count = 0
        for record in reader:
            if not record or all(is_blank(c) for c in record):
                continue
            count += 1
            if count > self.limits.max_rows:
                raise self._too_many()
            yield reader.line_num, tuple(record)

    def frame(self):
        """Columnar read by polars (fast for millions of rows), the same strings as rows()."""
        import polars as pl

        text = self.text.split("\n", self._skip - 1)[-1] if self._skip > 1 else self.text
        try:
            frame = pl.read_csv(text.encode("utf-8"), infer_schema=False, truncate_ragged_lines=True)
        except pl.exceptions.PolarsError as err:
            raise TableError(f"CSV 文件无法读取：{str(err).splitlines()[0][:200]}") from None
        del text
        frame = frame.rename({c: clean_text(c) for c in frame.columns if clean_text(c) != c})
        names = frame.columns

        def tidy(c: str) -> pl.Expr:
            s = pl.col(c).str.strip_chars()
            return pl.when(s == "").then(None).otherwise(s).alias(c)

        numbers = pl.int_range(self._skip + 1, self._skip + 1 + frame.height, dtype=pl.Int64)
        frame = frame.select(*[tidy(c) for c in names], numbers.alias("__row__"))
        if names:
            frame = frame.filter(~pl.all_horizontal([pl.col(c).is_null() for c in names]))
        if frame.height > self.limits.max_rows:
            raise self._too_many()
        return frame


def _decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


# --- XLSX --------------------------------------------------------------------------------------
_CHUNK = 1 << 20
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")
_ID_ATTR = re.compile(rb'\s(?:[\w.-]+:)?id="([^"]*)"')
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_ATTR = re.compile(rb'([\w:.-]+)="([^"]*)"')
_ROOT = re.compile(rb"<([\w.-]+:)?worksheet\b")


def _letters_from(n: int) -> bytes:
    """A regex (bytes) matching the column letters of column index ``n`` (0-based) and beyond,
    for ``n`` below 702 (three-letter columns always match)."""
    alternatives = [rb"[A-Z]{3}"]
    if n < 26:
        alternatives.append(rb"[A-Z]{2}")
        alternatives.append(b"[" + bytes([65 + n]) + b"-Z]")
    elif n < 702:
        first, second = divmod(n - 26, 26)
        if first < 25:
            alternatives.append(b"[" + bytes([66 + first]) + b"-Z][A-Z]")
        alternatives.append(bytes([65 + first]) + b"[" + bytes([65 + second]) + b"-Z]")
    return b"(?:" + b"|".join(alternatives) + b")"


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class XlsxTable(Table):
    """The first worksheet of an .xlsx (the sheet Excel opens first)."""

    def __init__(self, path: str | None, fileobj: Any, limits: Limits):
        self.limits = limits
        self._path, self._fileobj = path, fileobj
        try:
            self._zip = zipfile.ZipFile(path if path is not None else fileobj)
            self._sheet, self._strings = self._parts()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError):
            raise TableError(_NOT_XLSX) from None
        self.header, self.header_row = self._read_header()

    # which parts
    def _read_small(self, name: str, limit: int = 8 * 1024 * 1024) -> bytes:
        with self._zip.open(name) as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise TableError(f"Excel 文件的“{name}”部分过大，无法读取")
        return data

    def _parts(self) -> tuple[str, str | None]:
        names = set(self._zip.namelist())
        rels: dict[str, tuple[str, str]] = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for tag in _REL_TAG.findall(self._read_small("xl/_rels/workbook.xml.rels")):
                attrs = dict(_ATTR.findall(tag))
                target = attrs.get(b"Target", b"").decode()
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                rels[attrs.get(b"Id", b"").decode()] = (attrs.get(b"Type", b"").decode(), target)
        sheet = None
        if "xl/workbook.xml" in names:
            first = _SHEET_TAG.search(self._read_small("xl/workbook.xml"))
            if first:
                rid = _ID_ATTR.findall(first.group(0))
                if rid and rid[-1].decode() in rels:
                    sheet = rels[rid[-1].decode()][1]
        if sheet is None or sheet not in names:
            candidates = sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
            if not candidates:
                raise ValueError("no worksheet")
            sheet = candidates[0]
        strings = next((t for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
        if strings is None and "xl/sharedStrings.xml" in names:
            strings = "xl/sharedStrings.xml"
        return sheet, (strings if strings in names else None)

    # the header row, streamed
    def _read_header(self) -> tuple[list[Any], int]:
        parser: ElementTree.XMLPullParser = ElementTree.XMLPullParser(events=("end",))
        cells: dict[int, tuple[str | None, str]] = {}
        last_r = 0
        read = 0
        budget = min(self.limits.max_xml_bytes, 64 * 1024 * 1024)
        try:
            with self._zip.open(self._sheet) as f:
                while chunk := f.read(64 * 1024):
                    read += len(chunk)
                    if read > budget:
                        break
                    parser.feed(chunk)
                    for event in parser.read_events():
                        elem = event[-1]
                        if not isinstance(elem, ElementTree.Element):
                            continue
                        tag = _local(elem.tag)
                        if tag == "c":
                            ref = elem.get("r") or ""
                            letters = "".join(ch for ch in ref if ch.isalpha())
                            idx = _col_index(letters) if letters else len(cells)
                            if idx >= self.limits.max_columns:
                                raise TableError(
                                    f"文件超过 {self.limits.max_columns} 列的上限",
                                    code="import_too_many_rows",
                                )
                            cells[idx] = (elem.get("t"), _cell_text(elem))
                            elem.clear()
                        elif tag == "row":
                            last_r = int(elem.get("r") or last_r + 1)
                            if any(v for _, v in cells.values()):
                                return self._header_values(cells), last_r
                            cells = {}
                            elem.clear()
                        elif tag == "sheetData":
                            raise TableError("文件为空：第1行应为表头", code="import_file_empty")
        except ElementTree.ParseError:
            raise TableError(_NOT_XLSX) from None
        raise TableError("文件为空：第1行应为表头", code="import_file_empty")

    def _header_values(self, cells: dict[int, tuple[str | None, str]]) -> list[Any]:
        wanted = {int(v) for t, v in cells.values() if t == "s" and v.strip().isdigit()}
        strings = self._shared_strings(max(wanted)) if wanted else []
        width = max(cells) + 1
        out: list[Any] = [None] * width
        for idx, (t, v) in cells.items():
            if t == "s":
                k = int(v) if v.strip().isdigit() else -1
                out[idx] = strings[k] if 0 <= k < len(strings) else None
            elif t in ("inlineStr", "str", "e"):
                out[idx] = v
            elif t == "b":
                out[idx] = v == "1"
            else:
                out[idx] = v
        return out

    def _shared_strings(self, up_to: int) -> list[str]:
        if self._strings is None:
            return []
        out: list[str] = []
        parser: ElementTree.XMLPullParser = ElementTree.XMLPullParser(events=("end",))
        with self._zip.open(self._strings) as f:
            read = 0
            while len(out) <= up_to:
                chunk = f.read(64 * 1024)
                read += len(chunk)
                if not chunk or read > self.limits.max_xml_bytes:
                    break
                parser.feed(chunk)
                for event in parser.read_events():
                    elem = event[-1]
                    if isinstance(elem, ElementTree.Element) and _local(elem.tag) == "si":
                        out.append(_si_text(elem))
                        elem.clear()
        return out

    # bounds, before calamine allocates the sheet
    def _check_bounds(self) -> None:
        limits = self.limits
        for name in (self._strings, "xl/styles.xml"):
            if name and name in self._zip.NameToInfo:
                self._stream_size(name)
        rows = cells = width = 0
        first_r = last_r = 0
        with self._zip.open(self._sheet) as f:
            head = f.read(4096)
            m = _ROOT.search(head)
            prefix = m.group(1) if m and m.group(1) else b""
            pat = re.escape(prefix)
            row_open = (b"<" + prefix + b"row ",)
            row_r = re.compile(rb"<" + pat + rb'row\s[^>]*?\br="(\d+)"')
            digits = len(str(limits.max_rows + 2)) + 1
            too_tall = re.compile(rb"<" + pat + rb'row\s[^>]*?\br="\d{' + str(digits).encode() + rb",}")
            wider: dict[int, re.Pattern[bytes]] = {}  # width -> pattern of a cell beyond it
            row_tag, cell_tag = b"<" + prefix + b"row", b"<" + prefix + b"c"
            total, carry = len(head), head
            while True:
                chunk = f.read(_CHUNK)
                total += len(chunk)
                if total > limits.max_xml_bytes:
                    raise TableError(
                        "Excel 工作表解压后过大，超过读取上限：请拆分后分批导入", code="import_too_many_rows"
                    )
                buf = carry + chunk
                cut = buf.rfind(b"<") if chunk else len(buf)
                piece, carry = (buf[:cut], buf[cut:]) if cut > 0 else (buf, b"")
                rows += piece.count(row_tag)  # <rowBreaks> too, once at most: a bound, not a count
                if too_tall.search(piece):
                    raise self._too_many()
                for at in (piece.find(row_open[0]), piece.rfind(row_open[0])):  # rows come in order
                    if at >= 0 and (number := row_r.match(piece, at)):
                        r = int(number.group(1))
                        first_r = min(first_r, r) if first_r else r
                        last_r = max(last_r, r)
                cells += piece.count(cell_tag)  # <col>/<cols> too: a few, harmless for a bound
                # the widest column: search only for cells beyond the width seen so far (one C-level
                # scan per piece, no match objects for the ordinary cells)
                at = 0
                while width < 702:
                    if width not in wider:
                        wider[width] = re.compile(rb' r="(' + _letters_from(width) + rb")\d")
                    found = wider[width].search(piece, at)
                    if found is None:
                        break
                    width = max(width, _col_index(found.group(1).decode()) + 1)
                    at = found.end()
                    if width > limits.max_columns:
                        break
                height = max(rows, last_r - first_r + 1 if last_r else 0)
                if height - 1 > limits.max_rows:
                    raise self._too_many()
                if width > limits.max_columns:
                    raise TableError(f"文件超过 {limits.max_columns} 列的上限", code="import_too_many_rows")
                if cells > limits.max_cells or height * max(width, 1) > limits.max_cells:
                    raise TableError(
                        f"文件的单元格超过 {limits.max_cells:,} 个的上限：请拆分后分批导入",
                        code="import_too_many_rows",
                    )
                if not chunk:
                    break

    def _stream_size(self, name: str) -> None:
        total = 0
        with self._zip.open(name) as f:
            while chunk := f.read(_CHUNK):
                total += len(chunk)
                if total > self.limits.max_xml_bytes:
                    raise TableError(
                        "Excel 文件解压后过大，超过读取上限：请拆分后分批导入", code="import_too_many_rows"
                    )

    def rows(self) -> Iterator[tuple[int, tuple]]:
        try:
            self._check_bounds()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
            if isinstance(err, TableError):
                raise
            raise TableError(_NOT_XLSX) from None
        from python_calamine import CalamineWorkbook

        try:
            if self._path is not None:
                wb = CalamineWorkbook.from_path(self._path)
            else:
                self._fileobj.seek(0)
                wb = CalamineWorkbook.from_filelike(io.BytesIO(self._fileobj.read()))
            sheet = wb.get_sheet_by_index(0)
        except Exception:  # calamine raises its own error types for a broken file
            raise TableError(_NOT_XLSX) from None
        start = sheet.start or (0, 0)
        row0, col0 = int(start[0]), int(start[1])
        pad = (None,) * col0
        count = 0
        for offset, cells in enumerate(sheet.iter_rows()):
            rownum = row0 + offset + 1
            if rownum <= self.header_row:
                continue
            if all(is_blank(c) for c in cells):
                continue
            count += 1
            if count > self.limits.max_rows:  # pragma: no cover - the scan refused it already
                raise self._too_many()
            yield rownum, (pad + tuple(cells)) if col0 else tuple(cells)
        wb.close()

    def close(self) -> None:
        self._zip.close()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _cell_text(elem: ElementTree.Element) -> str:
    if elem.get("t") == "inlineStr":
        return "".join(t.text or "" for t in elem.iter() if _local(t.tag) == "t")
    for child in elem:
        if _local(child.tag) == "v":
            return child.text or ""
    return ""


def _si_text(elem: ElementTree.Element) -> str:
    parts: list[str] = []

    def walk(node: ElementTree.Element) -> None:
        for child in node:
            tag = _local(child.tag)
            if tag == "rPh":  # phonetic guide, not part of the text
                continue
            if tag == "t":
                parts.append(child.text or "")
            else:
                walk(child)

    walk(elem)
    return "".join(parts)
