"""Document metadata found in the text: title, issuers, own and cited document numbers, date, region.

Sources, in order of trust: a web page's metadata block (索引号 / 发文机关 / 成文日期 / 发文字号 / 标题,
set aside by `normalise`), the document's own layout (red header, doc number under it, title,
signature block with the date), the title itself (`X市人民政府关于…` names its issuer), and for news
reports of a policy the `…印发《…》` sentence.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from .regions_table import division, find_names, find_regions

_BRACKETS_OPEN = "〔[［【(（〈{｛"
_BRACKETS_CLOSE = "〕]］】)）〉}｝"
DOC_NUMBER = re.compile(
    rf"([\u4e00-\u9fff]{{1,10}})\s*[{re.escape(_BRACKETS_OPEN)}]\s*(\d{{4}})\s*[{re.escape(_BRACKETS_CLOSE)}]"
    r"\s*第?\s*(\d{1,4})\s*号"
)
_CN_DIGIT = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_FULL_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CN_DATE = re.compile(
    r"^([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$"
)
_PRINTED_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日印发$")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_ORG_END = r"(?:人民政府|政府|委员会|办公室|办公厅|指挥部|领导小组|局|厅|委|办|中心|分行|银行)"
_ISSUER_LINE = re.compile(rf"^[\u4e00-\u9fff（）]{{2,24}}{_ORG_END}$")
_RED_HEADER = re.compile(rf"^([\u4e00-\u9fff（）、 ]{{2,40}}{_ORG_END})文件$")
_TITLE_ISSUERS = re.compile(
    rf"^((?:中共)?[\u4e00-\u9fff（）]{{2,24}}?{_ORG_END}(?:[ 、]+(?:中共)?[\u4e00-\u9fff（）]{{2,24}}?{_ORG_END})*)\s*(?=关于|印发)"
)
_PUBLISH = re.compile(r"([\u4e00-\u9fff、]{2,30}?)(?:联合)?印发(?:了)?《([^》]{4,80})》")
_PRESS = re.compile(r"([\u4e00-\u9fff]{2,20}?新闻办公室)(?:组织)?召开")
_NEWS_MARK = re.compile(r"(\d{1,2}月\d{1,2}日讯|新闻发布会|记者|本报讯|新闻网讯|答记者问)")
_DOC_TYPE = re.compile(
    r"(通知|意见|措施|办法|方案|决定|规定|细则|公告|通告|政策|条例|实施|若干|关于|指引|指南|清单|计划|纲要|批复|函)"
)
_DOC_TYPE_END = re.compile(
    r"(通知|意见|措施|办法|方案|决定|规定|细则|公告|通告|政策|条例|指引|指南|清单|计划|纲要|批复|函|解读)[》”]?$"
)
_ADDRESSEE = re.compile(r"[：:]$")
_META_KEY = re.compile(
    r"(索引号|主题分类|发文机关|发布机构|发文单位|成文日期|发文日期|发布日期|发布时间|发文字号|文号|标题|名称|"
    r"主题词|有效性|公开方式|来源|信息来源|生效日期|废止日期|时效|体裁分类|组配分类|服务对象)[：:]"
)

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
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"


_YEAR_IN_BRACKETS = re.compile(
    rf"[{re.escape(_BRACKETS_OPEN)}]\s*\d{{4}}\s*[{re.escape(_BRACKETS_CLOSE)}]\s*第?\s*\d{{1,4}}\s*号"
)


def _doc_number_matches(text: str) -> list[re.Match[str]]:
    """DOC_NUMBER matches, found from their `〔2020〕8号` part (cheap to scan for) backwards."""
    out: list[re.Match[str]] = []
    last_end = 0
    for y in _YEAR_IN_BRACKETS.finditer(text):
        start = max(last_end, y.start() - 12)
        m = DOC_NUMBER.search(text, start, y.end())
        if m and m.end() == y.end():
            out.append(m)
            last_end = m.end()
    return out


def doc_numbers(text: str) -> list[tuple[int, str, bool]]:
    """(position, number, standalone_line) for each document number in the text; a number alone on
    its line, or alone in brackets (`（成府发〔2020〕3号）`), is standalone."""
    out = []
    for m in _doc_number_matches(text):
        line_start = text.rfind("\n", max(0, m.start() - 200), m.start()) + 1
        line_end = text.find("\n", m.end(), m.end() + 200)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        rest = line.replace(m.group(0), "", 1).strip()
        standalone = rest in ("", "（）", "()", "[]", "【】") or bool(
            re.fullmatch(r"(发文字号|文号)[：:]", rest)
        )
        out.append((m.start(), normalise_doc_number(m), standalone))
    return out


def slug_for_doc_number(number: str) -> str | None:
    m = re.match(r"^([\u4e00-\u9fff]+)〔(\d{4})〕(\d+)号$", number)
    if not m:
        return None
    prefix = SLUG_PREFIX.get(m.group(1)[0])
    if prefix:
        return f"{prefix}-{m.group(2)}-{m.group(3)}"
    # Other issuers: a short checksum of the prefix keeps 成府发〔2020〕3号 and 太政发〔2020〕3号 apart.
    return f"doc-{m.group(2)}-{m.group(3)}-{zlib.crc32(m.group(1).encode()):08x}"[:40]


def page_fields(header_lines: list[str]) -> dict[str, str]:
    """`key：value` pairs of a web page's metadata block (several pairs may share a line)."""
    out: dict[str, str] = {}
    for line in header_lines:
        matches = list(_META_KEY.finditer(line))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            value = line[m.end() : end].strip(" 　|｜")
            if value and m.group(1) not in out:
                out[m.group(1)] = value
    return out


def _iso(y: int, mo: int, d: int) -> str | None:
    if 1 <= mo <= 12 and 1 <= d <= 31 and 1949 <= y <= 2100:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def parse_date(line: str) -> str | None:
    """A whole-line date: 2020年3月6日, 二〇二〇年三月六日, 2020-03-06."""
    line = line.strip()
    m = _FULL_DATE.match(line)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE.match(line)
    if m:
        year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        from .structure import cn_number

        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
        return _iso(year, mo or 0, d or 0)
    m = _ISO.fullmatch(line)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _is_furniture(line: str) -> bool:
    return bool(
        _META_KEY.match(line)
        or parse_date(line)
        or DOC_NUMBER.fullmatch(line.strip("（）()[]【】 "))
        or re.match(r"^(上一篇|下一篇|来源|发布时间|发布日期|【?字体|打印|分享|浏览|阅读|点击)", line)
        or "首页" in line[:6]
        or _ADDRESSEE.search(line)
    )


def _title_like(line: str) -> bool:
    return (
        5 <= len(line) <= 90 and "。" not in line and not _is_furniture(line) and not _RED_HEADER.match(line)
    )


def _title_from(lines: list[str], start: int, limit: int = 3) -> str:
    """Up to `limit` consecutive title-like lines from `start`, joined (two-line titles)."""
    parts: list[str] = []
    for line in lines[start : start + limit]:
        if not _title_like(line):
            break
        parts.append(line)
        if _DOC_TYPE_END.search(line) and len("".join(parts)) >= 8:
            break
    return "".join(parts)


def _best_title(lines: list[str]) -> str:
    """The first title-like line that names a kind of document (通知, 意见, 措施…), else the first
    title-like line."""
    head = lines[:20]
    for i, line in enumerate(head):
        if _title_like(line) and _DOC_TYPE.search(line) and not _ISSUER_LINE.match(line):
            # A title broken over lines: start at the first line of the run.
            j = i
            while j > 0 and _title_like(head[j - 1]) and not _ISSUER_LINE.match(head[j - 1]) and i - j < 2:
                j -= 1
            return _title_from(head, j)
    for i, line in enumerate(head):
        if _title_like(line):
            return _title_from(head, i, limit=1)
    return lines[0] if lines else ""


def extract(text: str, header_lines: list[str], *, has_measures: bool) -> Metadata:
    md = Metadata()
    lines = text.split("\n")
    head = lines[:15]
    fields = page_fields(header_lines)

    # Document numbers: the one alone on its line near the top (or in the page's metadata) is the
    # document's; the rest are cited.
    numbers = doc_numbers(text)
    head_len = sum(len(x) + 1 for x in head)
    own_pos = None
    meta_number = DOC_NUMBER.search(fields.get("发文字号", fields.get("文号", "")))
    if meta_number:
        md.doc_number = normalise_doc_number(meta_number)
    for pos, number, standalone in numbers:
        if md.doc_number is None and standalone and pos < head_len:
            md.doc_number, own_pos = number, pos
        elif number == md.doc_number and own_pos is None and pos < head_len:
            own_pos = pos
    for pos, number, _standalone in numbers:
        if pos != own_pos and number != md.doc_number and number not in md.cited_doc_numbers:
            md.cited_doc_numbers.append(number)

    # Title.
    number_line = None
    if own_pos is not None:
        number_line = text.count("\n", 0, own_pos)
    if fields.get("标题") and len(fields["标题"]) >= 5:
        md.title = fields["标题"]
    elif number_line is not None:
        block = [x for x in lines[:number_line] if x.strip() and not _is_furniture(x)]
        red = [x for x in block if _RED_HEADER.match(x)]
        if red:
            md.issuers = [_RED_HEADER.match(red[0]).group(1)]  # type: ignore[union-attr]
            block = [x for x in block if not _RED_HEADER.match(x)]
        if block:
            md.title = "".join(block[-3:]) if len(block) <= 3 else _best_title(block)
            if _ISSUER_LINE.match(block[0]) and not md.issuers:
                md.issuers = _split_issuers(block[0])
        else:
            after = [x for x in lines[number_line + 1 : number_line + 6]]
            idx = next((i for i, x in enumerate(after) if _title_like(x)), None)
            if idx is not None:
                md.title = _title_from(after, idx)
    first_paras = "\n".join(lines[:4])
    pub = _PUBLISH.search(first_paras)
    if not md.title and pub and has_measures:
        md.title = pub.group(2)
    if not md.title:
        md.title = _news_headline(lines) or _best_title(lines)

    # Issuers.
    if fields.get("发文机关") or fields.get("发布机构"):
        md.issuers = _split_issuers(fields.get("发文机关") or fields["发布机构"])
    if not md.issuers:
        m = _TITLE_ISSUERS.match(md.title)
        if m:
            md.issuers = _split_issuers(m.group(1))
    if not md.issuers and pub:
        chunk = re.split(r"[，。：\n]", pub.group(1))[-1]
        md.issuers = [x for x in chunk.split("、") if x]
    if not md.issuers:
        md.issuers = _signature_issuers(lines)
    if not md.issuers:
        press = _PRESS.search(first_paras) or _PRESS.search(text[:3000])
        if press:
            md.issuers = [re.split(r"[，。]", press.group(1))[-1]]

    # Region: the most specific division named by the title or the issuers, else in the opening text.
    context = md.title + " " + " ".join(md.issuers) + " " + text[:600]
    found = find_regions(md.title + " " + " ".join(md.issuers), context)
    if found:
        found.sort(key=lambda f: (-len(f[2]), f[0]))
        _, md.region_name, md.region_code = found[0]
    else:
        found = find_regions(text[:400], context)
        if found:
            _, md.region_name, md.region_code = found[0]
    md.issuers = [_qualify(x, md.region_code) for x in md.issuers]

    # Date: the page's 成文日期, a date alone on a line near the top (signature), the date of the
    # signature at the end, the page header's date.
    md.date = _date(lines, header_lines, fields)
    return md


def _date(lines: list[str], header_lines: list[str], fields: dict[str, str]) -> str | None:
    for key in ("成文日期", "发文日期"):
        if key in fields:
            m = _ISO.search(fields[key]) or re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", fields[key])
            if m:
                return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for line in lines[:30]:
        d = parse_date(line)
        if d:
            return d
    for line in reversed(lines[30:]):
        d = parse_date(line)
        if d:
            return d
        m = _PRINTED_DATE.search(line)
        if m:
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for line in header_lines:
        m = _ISO.search(line)
        if m:
            iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if iso:
                return iso
    for key in ("发布日期", "发布时间"):
        if key in fields:
            m = _ISO.search(fields[key]) or re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", fields[key])
            if m:
                return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _split_issuers(value: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[ 　、，,；;]+", value.strip()) if p.strip()]
    out: list[str] = []
    for p in parts:
        out.extend(_split_run(p))
    return out


def _split_run(p: str) -> list[str]:
    """'中共某市委某市人民政府' (no space between them) → two issuers: split where an organisation
    name ends and the next one starts with 中共 or a region name; '某市人民政府办公厅' stays one."""
    for m in re.finditer(_ORG_END, p):
        k = m.end()
        if k < len(p) - 2 and (
            p.startswith("中共", k) or any(pos == 0 for pos, *_ in find_names(p[k : k + 12]))
        ):
            return [p[:k], *_split_run(p[k:])]
    return [p]


def _signature_issuers(lines: list[str]) -> list[str]:
    """Organisation lines right above a date line (the signature block), last one in the document."""
    for i in range(len(lines) - 1, 0, -1):
        if parse_date(lines[i]):
            out: list[str] = []
            j = i - 1
            while j >= 0 and _ISSUER_LINE.match(lines[j].strip()) and len(out) < 4:
                out.insert(0, lines[j].strip())
                j -= 1
            if out:
                return out
    return []


_LOCAL = re.compile(r"^(市委|市政府|市人民政府|区委|区政府|区人民政府|县委|县政府|县人民政府)")


def _qualify(issuer: str, region: str | None) -> str:
    """'市委' → '济南市委' once the region is known ('区政府' → '周村区政府')."""
    m = _LOCAL.match(issuer)
    if not m or not region:
        return issuer
    d = division(region)
    if d is None:
        return issuer
    if issuer.startswith("市"):
        city = d if d.level == "city" else (division(region[:4]) if d.level == "county" else None)
        if city is None or not city.name.endswith("市"):
            return issuer
        return city.name[:-1] + issuer
    if d.level == "county" and d.name.endswith(issuer[0]):
        return d.name[:-1] + issuer
    return issuer


def _news_headline(lines: list[str]) -> str | None:
    for i, line in enumerate(lines[:40]):
        if re.search(r"\d{1,2}月\d{1,2}日讯", line) and i > 0:
            return lines[i - 1]
    return None


def is_news(text: str, has_measures: bool) -> bool:
    return not has_measures
