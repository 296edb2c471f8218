"""A minimal streaming .xlsx writer for text tables (the ledger), framework-free.

openpyxl (even write-only) spends tens of microseconds per cell; a ledger of 50,000 orders × 20
columns is a million cells. This writes the sheet XML directly — inline strings, one styled header
row, column widths, a frozen first row — into a deflated zip, row by row, so memory stays bounded and
each row costs one string join. Readable by Excel, LibreOffice, WPS and openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
# style 0: default; style 1: header (bold white on dark blue, centred)
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF1F4E79"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
)


def column_letter(i: int) -> str:
    """1 → A, 27 → AA."""
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _text(value: Any) -> str:
    s = value if isinstance(value, str) else str(value)
    return escape(_ILLEGAL.sub("", s))


def _row(n: int, values: Sequence[Any], cols: Sequence[str], style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    cells = []
    for col, v in zip(cols, values, strict=False):
        if v is None or v == "":
            continue
        t = _text(v)
        space = ' xml:space="preserve"' if t[:1].isspace() or t[-1:].isspace() else ""
        cells.append(f'<c r="{col}{n}"{s} t="inlineStr"><is><t{space}>{t}</t></is></c>')
    return f'<row r="{n}">{"".join(cells)}</row>'


class TextSheetWorkbook:
    """One sheet: a styled header row then text rows, streamed on ``save``."""

    def __init__(
        self,
        *,
        title: str,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float] = (),
    ):
        self.title = (_ILLEGAL.sub("", title) or "Sheet1")[:31]
        for ch in "[]:*?/\\":
            self.title = self.title.replace(ch, "_")
        self.header = list(header)
        self.rows = rows
        self.widths = list(widths)

    def save(self, fileobj: IO[bytes]) -> None:
        ncols = max(len(self.header), 1)
        with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
            zf.writestr("_rels/.rels", _RELS)
            zf.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(self.title, {'"': "&quot;"})))
            zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
            zf.writestr("xl/styles.xml", _STYLES)
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                out.write(_SHEET_HEAD.encode())
                if self.widths:
                    out.write(
                        (
                            "<cols>"
                            + "".join(
                                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                for i, w in enumerate(self.widths, start=1)
                            )
                            + "</cols>"
                        ).encode()
                    )
                out.write(b"<sheetData>")
                cols = [column_letter(i) for i in range(1, ncols + 64)]
                out.write(_row(1, self.header, cols, style=1).encode())
                n = 1
                chunk: list[str] = []
                for values in self.rows:
                    n += 1
                    chunk.append(_row(n, values, cols))
                    if len(chunk) >= 500:
                        out.write("".join(chunk).encode())
                        chunk.clear()
                out.write("".join(chunk).encode())
                out.write(b"</sheetData></worksheet>")
