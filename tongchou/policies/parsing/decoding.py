"""Bytes → text for .txt (UTF-8, GB18030/GBK, Big5), .docx, .html and text-layer .pdf."""

from __future__ import annotations

import io
import re
import zipfile

from .errors import ParseError

# The 300 most frequent Chinese characters (simplified and traditional forms): a correct decoding
# of Chinese text is dominated by them, a wrong one (Big5 read as GBK, …) is not.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业"
    "本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利"
    "比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文"
    "总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干"
    "做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共"
    "權收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张"
    "信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验"
    "這個為來們時會對說發動實現經點進產種動業後關與於開問題過裡從當還樣麼學無長門將讓應區國務機構員報導組"
    "織單價條計畫劃廣東縣設區體運協統籌濟疫情防控議臺灣"
)

_MIN_COMMON_RATIO = 0.12


def _score(text: str) -> float:
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(1 for c in cjk if c in _COMMON) / len(cjk)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.05


def decode_text_bytes(data: bytes) -> tuple[str, str]:
    """Decode plain-text bytes; returns (text, encoding). Raises ParseError when not Chinese text."""
    if not data or not data.strip():
        raise ParseError("empty_file", "文件为空，没有可解析的内容。")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    if _looks_binary(data):
        raise ParseError(
            "binary_file", "文件看起来是二进制内容，不是文本；请上传 .txt、.docx、.html 或带文字层的 .pdf。"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), enc, text))
    if not candidates:
        try:
            import charset_normalizer

            best = charset_normalizer.from_bytes(data).best()
        except Exception:  # pragma: no cover - defensive
            best = None
        if best is not None and best.encoding:
            text = str(best)
            candidates.append((_score(text), best.encoding, text))
    candidates.sort(reverse=True)
    if not candidates or candidates[0][0] < _MIN_COMMON_RATIO:
        raise ParseError(
            "wrong_encoding",
            "无法识别文件编码：不是 UTF-8、GB18030/GBK 或 Big5 编码的中文文本。请另存为 UTF-8 后重新上传。",
        )
    score, enc, text = candidates[0]
    return text, enc


def _docx_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError("bad_docx", "无法打开 .docx 文件：文件已损坏或不是 Word 文档。", str(exc)) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


_HTML_DROP = ("script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "button", "select")
_HTML_BLOCKS = (
    "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
    "ul", "ol", "dl", "blockquote", "pre", "center", "aside", "main",
)  # fmt: skip


def _html_text(data: bytes) -> str:
    from bs4 import BeautifulSoup, Comment

    declared = _declared_charset(data)
    raw, _ = decode_text_bytes(data) if not declared else (data.decode(declared, errors="replace"), "")
    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(_HTML_DROP):
        tag.decompose()
    for comment in soup.find_all(string=lambda t: isinstance(t, Comment)):
        comment.extract()
    for tag in soup.find_all(
        class_=re.compile(
            r"(nav|menu|share|breadcrumb|crumb|footer|copyright|sidebar|prev|next|related)", re.I
        )
    ):
        tag.decompose()
    body = soup.body or soup
    # Line breaks in the HTML source are spaces on the page.
    for text_node in body.find_all(string=True):
        if "\n" in text_node or "\r" in text_node:
            text_node.replace_with(re.sub(r"\s+", " ", str(text_node)))
    # Paragraphs are lines; inline tags (<span>, <strong>, <a>) stay inside their line. A table row is
    # one line with its cells separated by spaces (a metadata block: 索引号： … 发文机关： …).
    for row in body.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]
        row.replace_with("\n" + "  ".join(c for c in cells if c) + "\n")
    for br in body.find_all("br"):
        br.replace_with("\n")
    for tag in body.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return body.get_text("")


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in ("gb2312", "gbk"):
        name = "gb18030"
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def _pdf_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    try:
        text = extract_text(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types
        raise ParseError("bad_pdf", "无法读取 PDF 文件：文件已损坏或不是 PDF。", str(exc)) from exc
    if not text.strip():
        raise ParseError("pdf_no_text", "PDF 没有文字层（可能是扫描件），请先进行文字识别(OCR)后再上传。")
    return text.replace("\x0c", "\n")


def decode_file(data: bytes, filename: str) -> tuple[str, str]:
    """Returns (text, format) where format is txt|docx|html|pdf."""
    name = filename.lower()
    if not data:
        raise ParseError("empty_file", "文件为空，没有可解析的内容。")
    if name.endswith(".docx") or (data[:2] == b"PK" and not name.endswith((".txt", ".html", ".htm"))):
        return _docx_text(data), "docx"
    if name.endswith(".pdf") or data[:5] == b"%PDF-":
        return _pdf_text(data), "pdf"
    if name.endswith((".html", ".htm")) or re.match(rb"\s*<(!doctype html|html)", data[:200], re.I):
        return _html_text(data), "html"
    text, _enc = decode_text_bytes(data)
    return text, "txt"
