"""File formats and encodings accepted by the parser, and the Chinese errors for the rest."""

import io
import zlib

import pytest

from tongchou.policies.parsing import ParseError, parse_bytes
from tongchou.policies.parsing.decoding import decode_file

TEXT = "关于做好复工复产工作的通知\n各单位要做好疫情防控工作，确保企业复工复产。\n1.加大稳岗返还。返还上年度失业保险费的50%。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "utf-8-sig"])
def test_txt_encodings_are_detected(encoding):
    text, fmt = decode_file(TEXT.encode(encoding), "a.txt")
    assert fmt == "txt" and text.lstrip("\ufeff") == TEXT


def test_big5_traditional_text_is_detected_and_converted():
    trad = "關於做好復工復產工作的通知\n各單位要做好疫情防控工作，確保企業復工復產。\n"
    doc = parse_bytes(trad.encode("big5"), filename="big5.txt")
    assert doc.title == "关于做好复工复产工作的通知"


def test_docx_is_read(tmp_path):
    import docx

    d = docx.Document()
    for line in TEXT.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    doc = parse_bytes(buf.getvalue(), filename="a.docx")
    assert doc.title == "关于做好复工复产工作的通知"


def test_html_drops_navigation_and_scripts():
    html = (
        "<html><head><meta charset='gbk'><script>var x=1;</script></head><body>"
        "<nav>首页 新闻 政务</nav><div class='share-bar'>分享到微信</div>"
        "<h1>关于做好复工复产工作的通知</h1><p>各单位要做好疫情防控工作，确保企业复工复产。</p>"
        "<p>第二段内容，继续说明。</p><footer>版权所有</footer></body></html>"
    ).encode("gbk")
    doc = parse_bytes(html, filename="a.html")
    assert doc.title == "关于做好复工复产工作的通知"
    assert "分享" not in doc.text and "var x" not in doc.text and "首页" not in doc.text


def _tiny_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is `text` (CID font with a ToUnicode map; no font embedded)."""
    codes = {ch: i + 1 for i, ch in enumerate(dict.fromkeys(text))}
    cmap_lines = "\n".join(f"<{c:04X}> <{ord(ch):04X}>" for ch, c in codes.items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{cmap_lines}\nendbfchar endcmap end end"
    ).encode()
    hexs = "".join(f"{codes[ch]:04X}" for ch in text)
    content = f"BT /F1 12 Tf 50 700 Td <{hexs}> Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(zlib.compress(cmap))
        + zlib.compress(cmap)
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_text_layer_pdf_is_read():
    text, fmt = decode_file(_tiny_pdf("各单位要做好疫情防控工作，确保企业复工复产。"), "a.pdf")
    assert fmt == "pdf"
    assert "各单位要做好疫情防控工作" in text


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "empty.txt", "empty_file"),
        (b"   \n  ", "blank.txt", "empty_file"),
        (bytes(range(256)) * 20, "blob.txt", "binary_file"),
        ("中文内容".encode("utf-16-le")[:7] + b"\x00\x01\x02" * 50, "x.txt", "binary_file"),
        (bytes([0xA1, 0xFF, 0xFE, 0x81]) * 200, "bad.txt", "wrong_encoding"),
        (b"PK\x03\x04 not really a zip", "a.docx", "bad_docx"),
        (b"%PDF-1.4 garbage", "a.pdf", "bad_pdf"),
        (b"hello world, this is just english text.\nsecond line.", "en.txt", "no_structure"),
    ],
)
def test_malformed_files_get_a_chinese_error(data, name, code):
    with pytest.raises(ParseError) as exc:
        parse_bytes(data, filename=name)
    assert exc.value.code == code
    assert any("\u4e00" <= c <= "\u9fff" for c in exc.value.message)
