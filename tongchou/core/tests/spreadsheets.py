"""Spreadsheets for tests of importers: ordinary ones, and the hostile ones issue 17 found."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook


def xlsx(header: list, rows: list[list], *, name: str = "upload.xlsx") -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf


def csv_file(
    header: list, rows: list[list], *, encoding: str = "utf-8-sig", name: str = "upload.csv"
) -> io.BytesIO:
    s = io.StringIO()
    w = csv.writer(s)
    w.writerow(header)
    w.writerows(rows)
    buf = io.BytesIO(s.getvalue().encode(encoding))
    buf.name = name
    return buf


def _with_sheet(sheet_writer, header: list) -> bytes:
    """A real workbook whose first sheet's XML is written by ``sheet_writer(file)``."""
    src = xlsx(header, [])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        for item in zin.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                head = zin.read(item.filename).partition(b"<sheetData>")[0]
                with zout.open(item.filename, "w", force_zip64=True) as f:
                    f.write(head + b"<sheetData>")
                    sheet_writer(f)
                    f.write(b"</sheetData></worksheet>")
            else:
                zout.writestr(item, zin.read(item.filename))
    return out.getvalue()


def zip_bomb(header: list, row: list, rows: int = 5_000_000) -> bytes:
    """Issue 17's file: well under a megabyte on disk, ``rows`` rows once unzipped (5 million by
    default: hundreds of MB of XML). Inline strings, no cell references, like a crafted file."""

    def cells(values: list) -> bytes:
        out = b""
        for v in values:
            if isinstance(v, int | float):
                out += b"<c><v>" + str(v).encode() + b"</v></c>"
            else:
                out += b'<c t="inlineStr"><is><t>' + str(v).encode() + b"</t></is></c>"
        return out

    def write(f) -> None:
        f.write(b'<row r="1">' + cells(header) + b"</row>")
        block = (b"<row>" + cells(row) + b"</row>") * 10_000
        for _ in range(rows // 10_000):
            f.write(block)

    return _with_sheet(write, header)


def far_cell(header: list) -> bytes:
    """A tiny file with one cell at the sheet's last row and column: a reader that allocates the
    sheet's rectangle would ask for 17 billion cells."""

    def write(f) -> None:
        f.write(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + str(header[0]).encode() + b"</t></is></c></row>"
        )
        f.write(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')

    return _with_sheet(write, header)
