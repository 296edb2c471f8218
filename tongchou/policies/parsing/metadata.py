"""Document metadata found in the text: title, issuers, own and cited document numbers, date,
region, kind."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .regions_table import CITY_NAMES, find_regions

DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
_FULL_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff]{2,20}(人民政府|政府|委员会|办公室|办公厅|指挥部|局|厅|委)$")
_PUBLISH = re.compile(r"([\u4e00-\u9fff、]{2,30}?)(?:联合)?印发(?:了)?《([^》]{4,80})》")
_PRESS = re.compile(r"([\u4e00-\u9fff]{2,20}?新闻办公室)(?:组织)?召开")
_NEWS_MARK = re.compile(r"(\d{1,2}月\d{1,2}日讯|新闻发布会|记者|本报讯|新闻网讯|答记者问)")

SLUG_PREFIX = {"周": "zhoucun", "淄": "zibo", "济": "jinan", "德": "dezhou", "鲁": "shandong", "国": "guo"}


@dataclass
class Metadata:
    title: str = ""
    issuers: list[str] = field(default_factory=list)
    doc_number: str | None = None
    cited_doc_numbers: list[str] = field(default_factory=list)
    date: str | None = None
    region_code: str | None = None
    region_name: str | None = None


def normalise_doc_number(m: re.Match[str]) -> str:
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"


def doc_numbers(text: str) -> list[tuple[int, str, bool]]:
    """(position, number, standalone_line) for each document number in the text."""
    out = []
    for m in DOC_NUMBER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        standalone = line.strip() == m.group(0).strip()
        out.append((m.start(), normalise_doc_number(m), standalone))
    return out


def slug_for_doc_number(number: str) -> str | None:
    m = re.match(r"^([\u4e00-\u9fff]+)〔(\d{4})〕(\d+)号$", number)
    if not m:
        return None
    prefix = SLUG_PREFIX.get(m.group(1)[0], "doc")
    return f"{prefix}-{m.group(2)}-{m.group(3)}"


def extract(text: str, header_lines: list[str], *, has_measures: bool) -> Metadata:
    md = Metadata()
    lines = text.split("\n")
    head = lines[:15]
    # Document numbers: the one on its own line near the top is the document's; the rest are cited.
    numbers = doc_numbers(text)
    own_pos = None
    head_len = sum(len(x) + 1 for x in head)
    for pos, number, standalone in numbers:
        if standalone and pos < head_len and md.doc_number is None:
            md.doc_number, own_pos = number, pos
    for pos, number, _standalone in numbers:
        if pos != own_pos and number != md.doc_number and number not in md.cited_doc_numbers:
            md.cited_doc_numbers.append(number)

    # Title.
    if md.doc_number is not None:
        idx = next(i for i, line in enumerate(lines) if md.doc_number in _canon(line))
        block = [x for x in lines[:idx] if x.strip()]
        if block:
            md.title = "".join(block)
            if _ISSUER_LINE.match(block[0]):
                md.issuers = [block[0]]
    first_paras = "\n".join(lines[:4])
    pub = _PUBLISH.search(first_paras)
    if not md.title and pub and has_measures:
        md.title = pub.group(2)
    if not md.title:
        md.title = _news_headline(lines) or (lines[0] if lines else "")
    if not md.issuers and pub:
        chunk = re.split(r"[，。：\n]", pub.group(1))[-1]
        md.issuers = [x for x in chunk.split("、") if x]
    if not md.issuers:
        press = _PRESS.search(first_paras) or _PRESS.search(text[:3000])
        if press:
            md.issuers = [re.split(r"[，。]", press.group(1))[-1]]

    # Region: most specific name in the title/issuers, else the first name in the opening text.
    found = find_regions(md.title + " " + " ".join(md.issuers))
    if found:
        found.sort(key=lambda f: (-len(f[2]), f[0]))
        _, md.region_name, md.region_code = found[0]
    else:
        found = find_regions(text[:400])
        if found:
            _, md.region_name, md.region_code = found[0]
    city = CITY_NAMES.get(md.region_code or "", "")
    if md.region_code and len(md.region_code) == 6 and md.region_code[:4] in CITY_NAMES:
        city = CITY_NAMES[md.region_code]
    md.issuers = [_qualify(x, city) for x in md.issuers]

    # Date: a standalone full date near the top (signature), else a date in the page header.
    for line in lines[:30]:
        m = _FULL_DATE.match(line.strip())
        if m:
            md.date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            break
    if md.date is None:
        for line in header_lines:
            m = _ISO.search(line)
            if m:
                md.date = m.group(0)
                break
    return md


def _canon(line: str) -> str:
    m = DOC_NUMBER.search(line)
    return normalise_doc_number(m) if m else line


def _qualify(issuer: str, city: str) -> str:
    if city and issuer.startswith(("市委", "市政府", "市人民政府", "区委", "区政府", "区人民政府")):
        prefix = city + ("区" if issuer.startswith("区") and not city.endswith("区") else "")
        return prefix + issuer
    return issuer


def _news_headline(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        if re.search(r"\d{1,2}月\d{1,2}日讯", line) and i > 0:
            return lines[i - 1]
    return None


def is_news(text: str, has_measures: bool) -> bool:
    return not has_measures
