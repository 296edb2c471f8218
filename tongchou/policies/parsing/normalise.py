"""Normalisation of decoded text, keeping an offset map back to the original.

Steps: line endings → inline pinyin annotations removed (統(tǒng)籌, 疫(yi)情, 堅(jian)(jian)) →
Traditional → Simplified (OpenCC t2s) → full/half-width and spacing → web boilerplate lines dropped →
lines broken by page layout rejoined (牵头单 / 位). Stray '?' left by bad conversions are flagged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .offsets import MappedText, concat, slice_

CJK = "\u4e00-\u9fff\u3400-\u4dbf"
CJK_RE = re.compile(f"[{CJK}]")
# Full-width punctuation used in Chinese text.
ZH_PUNCT = "，。、；：？！“”‘’（）《》〔〕【】…—·"

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_TONE_BASE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvennnm")
_SYLLABLE = re.compile(r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv][a-z]{0,4}$")
_PINYIN_GROUP = re.compile(
    rf"(?<=[{CJK}A-Za-z?])(?:[ \t]*[(（][ \t]*([a-z{_TONED}]{{1,6}}[1-5]?)[ \t]*[)）])+"
)


def is_pinyin_syllable(word: str) -> bool:
    base = word.translate(_TONE_BASE).rstrip("12345")
    return bool(_SYLLABLE.match(base)) and base[-1] in "aeiouvngr"


def _strip_pinyin(m: re.Match[str]) -> str:
    inner = re.findall(rf"[(（][ \t]*([a-z{_TONED}]{{1,6}}[1-5]?)[ \t]*[)）]", m.group(0))
    if inner and all(is_pinyin_syllable(w) for w in inner):
        return ""
    return m.group(0)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(mt: MappedText) -> MappedText:
    conv = _t2s()
    whole = conv.convert(mt.text)
    if len(whole) == len(mt.text):
        return mt.replace_chars(whole)
    # Rare: a phrase conversion changed length. Convert line by line, falling back to per character.
    parts: list[MappedText] = []
    pos = 0
    for line in mt.text.split("\n"):
        seg = slice_(mt, pos, pos + len(line))
        out = conv.convert(line)
        if len(out) == len(line):
            parts.append(seg.replace_chars(out))
        else:
            chars = [conv.convert(c) for c in line]
            text = "".join(c if len(c) == 1 else c[:1] for c in chars)
            parts.append(seg.replace_chars(text))
        pos += len(line) + 1
    return concat(parts, "\n")


_FW_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FW_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FW_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FW_ALNUM.update(
    {"％": "%", "．": ".", "\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " ", "\u200b": ""}
)
_FW_RE = re.compile("[" + "".join(re.escape(k) for k in _FW_ALNUM) + "]")

_SPACE_AROUND = re.compile(rf"(?<=[{CJK}{ZH_PUNCT}])[ \t]+|[ \t]+(?=[{CJK}{ZH_PUNCT}])")
_SPACE_NUM_UNIT = re.compile(rf"(?<=[\d%])[ \t]+(?=[{CJK}])|(?<=[{CJK}])[ \t]+(?=\d)")

_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！"}


def _half_to_full(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _HALF_PUNCT[ch]


def _paren(m: re.Match[str]) -> str:
    inner = m.group(1)
    before = m.string[m.start() - 1] if m.start() else ""
    after = m.string[m.end()] if m.end() < len(m.string) else ""
    if CJK_RE.search(inner) or CJK_RE.match(before or " ") or CJK_RE.match(after or " "):
        return "（" + inner + "）"
    return m.group(0)


# Lines that are web boilerplate (site navigation, bylines, share buttons, copyright, …).
_BOILERPLATE_LINE = [
    re.compile(r"^(首页|当前位置|您的位置|您现在的位置)\s*[>＞›»]"),
    re.compile(r"^.{0,40}[>＞›»].{0,20}[>＞›»].{0,20}(正文)?$"),
    re.compile(r"^责任编辑[：:]"),
    re.compile(r"^(编辑|审核|终审|校对|记者)[|｜丨]"),
    re.compile(r"^记者[|｜丨].*编辑[|｜丨]"),
    re.compile(r"^审核[|｜丨]"),
    re.compile(
        r"^(打印|关闭|打印本页|关闭窗口|【打印】|【关闭】|返回顶部|分享到[：:]?.*|扫码带走|扫描微信二维码|查看更多内容|微信扫一扫.*|扫一扫.*)$"
    ),
    re.compile(r"^(大字体|小字体|字号[：:]?|[【\[]?[大中小][】\]]?\s*)+$"),
    re.compile(r"^(上一篇|下一篇|上一条|下一条)[：:]?"),
    re.compile(r"^(当前位置|您的位置|您现在的位置|所在位置|当前的位置)[：:]"),
    re.compile(r"^(网站首页|首页|主页)([\s|｜丨/]*[\u4e00-\u9fff]{2,8}){0,10}[\s|｜丨/]*$"),
    # A web page's metadata block (索引号 / 发文机关 / 成文日期 …): kept aside for metadata.
    re.compile(
        r"^(索引号|主题分类|发文机关|发布机构|发文单位|成文日期|发文日期|发布日期|发布时间|发文字号|文号|主题词|"
        r"有效性|公开方式|公开范围|信息来源|来源|生效日期|废止日期|时效性|体裁分类|组配分类|服务对象|标题|名称|"
        r"浏览次数|阅读次数|点击数|访问量|作者|文章来源)[：:]"
    ),
    # A page's date line (2020-03-05 10:21 来源：…); a date alone in 年月日 is a signature and stays.
    re.compile(
        r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(\s*\d{1,2}:\d{2}(:\d{2})?)?\s*((来源|作者|发布|编辑)[：:].{0,30})?$"
    ),
    re.compile(
        r"^\d{4}年\d{1,2}月\d{1,2}日\s*(\d{1,2}:\d{2}(:\d{2})?\s*)?((来源|作者|发布|编辑)[：:].{0,30})$"
    ),
    re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}(:\d{2})?\s*$"),
    re.compile(r"^[【\[]?字体[：:]\s*([大中小]\s*)+[】\]]?"),
    re.compile(r"^([【\[](打印本页|打印|关闭窗口|关闭|收藏|分享|返回顶部|纠错)[】\]]\s*)+$"),
    re.compile(
        r"^(网站地图|联系我们|网站声明|隐私声明|无障碍|长者模式|关怀版|繁體|简体|English|登录|注册)(\s|[|｜丨])*"
        r"((网站地图|联系我们|网站声明|隐私声明|无障碍|长者模式|关怀版|繁體|简体|English|登录|注册)(\s|[|｜丨])*)*$"
    ),
    re.compile(r"^.{0,30}(新媒体出品|融媒体出品)$"),
    re.compile(r"^.{0,30}(融媒体中心|日报|晚报|新闻网)?(特约)?记者\s*\*\*"),
    re.compile(r"^(Copyright|©|版权所有|主办单位[：:]|承办单位[：:]|网站标识码|ICP备)", re.I),
    re.compile(r"^(微信|微博|QQ空间|QQ好友|朋友圈)(\s+(微信|微博|QQ空间|QQ好友|朋友圈))*$"),
]
_COPYRIGHT_HEAD = re.compile(
    r"(版权与免责声明|版权声明|免责声明)[：:]?$|"
    r"^(相关链接|相关阅读|相关文章|相关新闻|相关文件|相关政策|推荐阅读|热点推荐|延伸阅读|猜你喜欢|扫一扫在手机打开当前页)[：:]?$"
)
_INLINE_BOILERPLATE = re.compile(r"\s*(大字体|小字体|扫码带走|打印本页|打印|分享到)\s*(?=\s|$)")


# A '?' that ends a real question (question word before it, end of line or a quote after it).
_QUESTION = re.compile(rf"(?<=[{CJK}])\?(?=\n|$)|(?<=[什么吗呢哪如何怎么为何多少几])\?")


@dataclass
class Normalised:
    text: str
    runs: list[list[int]]
    origin: list[int]
    warnings: list[dict] = field(default_factory=list)
    dropped_lines: list[str] = field(default_factory=list)
    header_lines: list[str] = field(
        default_factory=list
    )  # boilerplate lines kept for metadata (dates, sources)


_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,3}[.．、](?!\d)|"
    r"第[一二三四五六七八九十百]+[条章节]|第[一二三四五六七八九十]+部分|[（(]\d{1,2}[)）]|[①-⑳]|0\d[.．、 ]?(?=[\u4e00-\u9fff]))"
)
# A responsibility line (`【责任单位：…】`, `牵头单位：…`) starts a paragraph unless a bracket is open.
_RESP_START = re.compile(r"^[【\[（]?(责任单位|牵头单位|责任人|配合单位|责任部门|牵头部门|主责单位)[：:]")
_OPENERS = "（《“〔【"
_CLOSERS = "）》”〕】"
_TERMINAL = "。！？…）》”"


def _balance(line: str) -> int:
    return sum(line.count(o) - line.count(c) for o, c in zip(_OPENERS, _CLOSERS, strict=True) if o != "“")


class _Group:
    """Lines being joined into one paragraph, with what `_should_join` needs kept up to date as
    lines are added (so joining n lines costs O(n), not O(n²))."""

    __slots__ = ("parts", "first", "balance", "has_comma", "has_period", "has_dun", "last")

    def __init__(self, seg: MappedText) -> None:
        self.parts = [seg]
        self.first = seg.text
        self.balance = 0
        self.has_comma = self.has_period = self.has_dun = False
        self._note(seg.text)

    def _note(self, text: str) -> None:
        self.balance += _balance(text)
        self.has_comma = self.has_comma or "，" in text
        self.has_period = self.has_period or "。" in text
        self.has_dun = self.has_dun or "、" in text
        self.last = text[-1]

    def add(self, seg: MappedText) -> None:
        self.parts.append(seg)
        self._note(seg.text)

    def text(self) -> MappedText:
        return self.parts[0] if len(self.parts) == 1 else concat(self.parts)


def _should_join(prev: _Group, cur: str) -> bool:
    """Was `cur` split off the paragraph `prev` by page layout?"""
    if not cur:
        return False
    if _HEADING_START.match(cur):
        return False
    if prev.balance > 0 and not cur.startswith(("（", "(")):
        return True
    if _RESP_START.match(cur):
        return False
    last = prev.last
    if last in _TERMINAL or last in "：:":
        return False
    # Only prose lines (with sentence punctuation) are page-broken; titles and headings have none.
    if not prev.has_comma and not prev.has_period and not prev.has_dun:
        return False
    if _HEADING_START.match(prev.first) and not prev.has_period and not prev.has_comma:
        return False
    return bool(CJK_RE.match(last) or last in "，、；0123456789" or last.isalnum())


def normalise(original: str) -> Normalised:
    mt = MappedText.from_original(original)
    mt = mt.sub(r"\r\n?", "\n")
    mt = mt.sub(r"[a-zü][\u0300-\u036f]+", lambda m: unicodedata.normalize("NFC", m.group(0)))
    mt = mt.sub(_PINYIN_GROUP, _strip_pinyin)
    mt = to_simplified(mt)
    mt = mt.sub(_FW_RE, lambda m: _FW_ALNUM[m.group(0)])
    mt = mt.sub(r"\*\*", "")
    mt = mt.sub(r"(?<!\d)[,;!]|(?<!\d):|:(?!\d)", _half_to_full)
    mt = mt.sub(r"\(([^()\n]{0,80})\)", _paren)
    mt = mt.sub(rf"(?<=[{CJK}{ZH_PUNCT}])\)|\((?=[{CJK}])", lambda m: "（" if m.group(0) == "(" else "）")
    mt = mt.sub(r"[ \t]{2,}", " ")
    mt = mt.sub(_SPACE_NUM_UNIT, "")
    mt = mt.sub(_SPACE_AROUND, "")

    # Line level: strip, drop boilerplate, rejoin page-broken lines.
    kept: list[_Group] = []
    dropped: list[str] = []
    header: list[str] = []
    pos = 0
    in_copyright = False
    for raw_line in mt.text.split("\n"):
        start, end = pos, pos + len(raw_line)
        pos = end + 1
        lstrip = len(raw_line) - len(raw_line.lstrip())
        rstrip = len(raw_line.rstrip())
        line = raw_line.strip()
        if not line:
            continue
        if in_copyright or _COPYRIGHT_HEAD.search(line):
            in_copyright = True
            dropped.append(line)
            continue
        if any(rx.search(line) for rx in _BOILERPLATE_LINE):
            dropped.append(line)
            header.append(line)
            continue
        seg = slice_(mt, start + lstrip, start + rstrip)
        cleaned = seg.sub(_INLINE_BOILERPLATE, "")
        if cleaned.text != seg.text:
            header.append(line)
            seg = cleaned
            if re.fullmatch(r"[\d\-: ]*来源[：:].{0,20}|[\d\-: ]+", seg.text.strip()):
                dropped.append(line)
                continue
        if not seg.text.strip():
            continue
        if kept and _should_join(kept[-1], seg.text):
            kept[-1].add(seg)
        else:
            kept.append(_Group(seg))
    out = concat([g.text() for g in kept], "\n")
    out = out.sub(_QUESTION, "？")
    warnings = []
    for m in re.finditer(r"\?+|\ufffd", out.text):
        ctx = out.text[max(0, m.start() - 8) : m.end() + 8]
        warnings.append({"code": "stray_question_mark", "pos": m.start(), "context": ctx})
    return Normalised(out.text, out.runs(), out.origin, warnings, dropped, header)
