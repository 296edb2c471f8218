"""Numbered items (一、 / （一） / 1. / 1、 / （1） / ① / 01 / 第一条 / 第一章 …), their nesting, and the
measures: the level of numbering that carries them, decided from the document itself.

Works on normalised text (one paragraph per line) in passes that are each linear in the text:

1. **Candidates** — every numbering marker at the start of a line, and markers run together in one
   line after a full stop, semicolon or colon (`1.…。2.…。3.…`).
2. **Nesting order of the schemes** — the usual order of Chinese official documents (第一章 >
   一、 > （一） > 1. > （1） > ①), turned round where the document shows otherwise: a short heading of
   scheme A followed at once by item 1 of scheme B is evidence that B nests under A.
3. **Accepted items** — a stack of open items; a marker is accepted when its number follows its
   sibling's (n + 1), or starts a new list under its parent (1), or continues the document-wide count
   of its scheme (Zibo's 1…59 run across sections). Anything else is text (`2020年`, `1.5万元`, a
   stray `3、`). After a signature date or 附件 numbering may start again: a new part (a notice with
   numbered instructions, then its attached policy); the part with the most measures is kept.
4. **Measure level** — where responsibility blocks are (the level where at least half the items carry
   one, the most of them), else the level with the most substantive items (≥ 25 characters of their
   own text, or a lead phrase and a sentence: `减免房租。减免3个月。`); at least two items. A document with no such level is news.
5. **Measures** — each item of that level with its text up to the next item of the same or a higher
   level; unnumbered paragraphs after it continue it until a closing paragraph (`各…要…`,
   `本措施自…`, a signature, 附件). After a measure closed by its responsibility block, a paragraph
   opening with a short lead phrase (`加大技术改造投资补助力度。`) is an unnumbered measure `13.1`.

Measure numbers are the printed numbers in Arabic digits (`（三）` → `3`, `第十二条` → `12`); when
numbers repeat in a document (lists restarting under each heading) they are qualified with their
parents' numbers (`2-1`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cmp_to_key

from .units import BARE_CLAUSE, Responsibility
from .units import responsibilities as _responsibilities

CN_NUM = "零〇一二两三四五六七八九十百"
_CN_VALUE = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# scheme → (conventional rank, marker regex at a position). Group "n" is the number.
SCHEMES: dict[str, tuple[int, re.Pattern[str]]] = {
    "chapter": (0, re.compile(rf"第(?P<n>[{CN_NUM}]{{1,4}})[章编]\s*")),
    "part": (1, re.compile(rf"第(?P<n>[{CN_NUM}]{{1,4}})部分\s*")),
    "cn": (2, re.compile(rf"(?P<n>[{CN_NUM}]{{1,4}})[、.．]\s*")),
    "cn_paren": (3, re.compile(rf"[（(](?P<n>[{CN_NUM}]{{1,4}})[)）]\s*")),
    "article": (4, re.compile(rf"第(?P<n>[{CN_NUM}]{{1,5}})条\s*")),
    "ar": (5, re.compile(r"(?P<n>\d{1,3})(?:[.．、](?!\d)|\s+(?=[\u4e00-\u9fff]))\s*")),
    "zero": (5, re.compile(r"(?P<n>0\d)(?:[.．、]\s*|\s+|(?=[\u4e00-\u9fff]))")),
    "ar_paren": (6, re.compile(r"(?:[（(](?P<n>\d{1,3})[)）]|(?P<m>\d{1,2})[)）])\s*")),
    "circled": (7, re.compile(rf"(?P<n>[{_CIRCLED}])\s*")),
}
_INLINE_BEFORE = "。；;！？：:"
_INLINE_START = re.compile(rf"(?<=[{_INLINE_BEFORE}])[ \t]*(?=[（(第{CN_NUM}\d{_CIRCLED}])")

_RESP_PARAGRAPH = re.compile(
    r"^[（【〔\[]?(责任人|责任领导|牵头领导|牵头单位|责任单位|主责单位|牵头部门|责任部门|配合单位|协办单位)[：:]"
)
_CLOSING = re.compile(
    r"^(各[^，。]{0,14}(要|应|务必)|本(意见|措施|通知|办法|方案|细则|规定|政策)[^，。]{0,12}(自|起|由|有效)|"
    r"以上(措施|政策)|(此件|本件)[^。]{0,6}公开|附件[：:\d一二三四五六七八九]|抄送[：:]|联系人[：:])"
)
_DATE_LINE = re.compile(rf"^(\d{{4}}|[{CN_NUM}]{{4}})年[\d{CN_NUM}]{{1,2}}月[\d{CN_NUM}]{{1,3}}日$")
_BOUNDARY = re.compile(
    rf"^(?:(?:\d{{4}}|[{CN_NUM}]{{4}})年[\d{CN_NUM}]{{1,2}}月[\d{CN_NUM}]{{1,3}}日|附件[：:\d一二三四五六七八九]?.*)$",
    re.M,
)
_SIGNATURE = re.compile(
    r"^[\u4e00-\u9fff（）、]{2,30}(人民政府|政府|办公室|办公厅|委员会|局|厅|委|指挥部|领导小组)$"
)
_LEAD_PHRASE = re.compile(r"^([^，。；：（）]{2,25})。")
_LEAD_PHRASE_AND_BODY = re.compile(r"^[^，。；：（）]{2,25}。[^\s]")
_RESP_HINT = re.compile(
    r"(责任人|责任单位|牵头单位|主责单位|牵头部门|责任部门|配合单位|[（(][^（）()]{2,80}(牵头|负责)[^（）()]{0,40}[）)][。；\s]*$)",
    re.M,
)


def cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 三〇 → None (digit strings of 零/〇 only in years)."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN_VALUE:
            current = _CN_VALUE[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    total += current
    return total or None


@dataclass
class Mark:
    scheme: str
    number: int
    start: int  # position of the marker in the text
    body: int  # position after the marker (and spaces)
    line_start: bool
    line_end: int
    accepted: bool = False
    parents: list[Mark] = field(default_factory=list)
    run_from_line: bool = True  # False for a list that starts mid-line after a colon
    part: int = 0  # a new part starts after a signature date or 附件 (a notice, then its attachment)


@dataclass
class Paragraph:
    text: str
    start: int
    end: int
    mark: Mark | None = None


@dataclass
class MeasureDraft:
    number: str
    path: list[str]
    start: int
    end: int
    closed: bool = False
    sub_count: int = 0
    mark: Mark | None = None
    parent_numbers: list[int] = field(default_factory=list)
    part: int = 0


def _match_at(text: str, pos: int, end: int) -> tuple[str, int, int] | None:
    """(scheme, number, body position) of a numbering marker at `pos`, if any."""
    for scheme, (_rank, rx) in SCHEMES.items():
        m = rx.match(text, pos, end)
        if not m:
            continue
        raw = m.group("n") or (m.groupdict().get("m") or "")
        n: int | None
        if scheme == "circled":
            n = _CIRCLED.index(raw) + 1
        elif scheme in ("ar", "zero", "ar_paren"):
            n = int(raw)
        else:
            n = cn_number(raw)
        if not n:
            continue
        if scheme == "cn" and (len(raw) > 3 or not re.match(r"^[一二三四五六七八九十百]+$", raw)):
            continue
        if scheme == "ar" and m.end() >= end:
            continue
        return scheme, n, m.end()
    return None


def candidates(text: str) -> list[Mark]:
    """Every numbering marker at a line start, and those run together after 。；：."""
    out: list[Mark] = []
    pos = 0
    n = len(text)
    while pos <= n:
        end = text.find("\n", pos)
        end = n if end < 0 else end
        if end > pos:
            hit = _match_at(text, pos, end)
            if hit:
                out.append(Mark(hit[0], hit[1], pos, hit[2], True, end))
            for m in _INLINE_START.finditer(text, pos, end):
                at = m.end()
                hit = _match_at(text, at, end)
                if hit and at > pos:
                    out.append(Mark(hit[0], hit[1], at, hit[2], False, end))
        pos = end + 1
    return out


def _own_end(marks: list[Mark], i: int) -> int:
    return min(marks[i].line_end, marks[i + 1].start) if i + 1 < len(marks) else marks[i].line_end


def scheme_order(text: str, marks: list[Mark]) -> dict[str, int]:
    """Rank of each scheme present (0 = outermost): the conventional order, turned round for a pair
    of schemes when the document shows the other nesting more often."""
    support: dict[tuple[str, str], int] = {}
    for i in range(len(marks) - 1):
        a, b = marks[i], marks[i + 1]
        if a.scheme == b.scheme or b.number != 1 or not b.line_start:
            continue
        own = text[a.body : _own_end(marks, i)]
        if len(own) <= 40 and not _RESP_HINT.search(own):
            support[(a.scheme, b.scheme)] = support.get((a.scheme, b.scheme), 0) + 1
    present = sorted({m.scheme for m in marks}, key=lambda s: SCHEMES[s][0])

    def cmp(x: str, y: str) -> int:
        xy, yx = support.get((x, y), 0), support.get((y, x), 0)
        if xy != yx:
            return -1 if xy > yx else 1
        return SCHEMES[x][0] - SCHEMES[y][0]

    ordered = sorted(present, key=cmp_to_key(cmp))
    return {s: i for i, s in enumerate(ordered)}


def accept(marks: list[Mark], ranks: dict[str, int], text: str) -> list[Mark]:
    """The markers that are items: numbers that follow their sibling, start a list, or continue the
    document-wide count of their scheme; inline markers only as a run on one line."""
    stack: list[Mark] = []
    last_global: dict[str, int] = {}
    accepted: list[Mark] = []
    prev: Mark | None = None
    boundaries = [b.start() for b in _BOUNDARY.finditer(text)]
    part = 0
    for i, m in enumerate(marks):
        if m.line_start and m.number == 1 and prev is not None and stack:
            k = bisect_right(boundaries, prev.start)
            if k < len(boundaries) and boundaries[k] < m.start:
                # After a signature date or 附件, numbering starts again: a new part.
                stack, last_global, part = [], {}, part + 1
        m.part = part
        if not m.line_start:
            ok = (
                prev is not None
                and prev.scheme == m.scheme
                and prev.line_end == m.line_end
                and m.number == prev.number + 1
            )
            if ok and prev is not None:
                m.run_from_line = prev.run_from_line
            else:
                # The first of a run on one line (`一、减轻负担。1.…。2.…`, `包括：（1）…；（2）…`):
                # the next marker on the line must be the same scheme, numbered one more.
                nxt = marks[i + 1] if i + 1 < len(marks) else None
                ok = bool(
                    nxt
                    and nxt.scheme == m.scheme
                    and nxt.line_end == m.line_end
                    and nxt.number == m.number + 1
                    and not nxt.line_start
                )
                # A run right after a heading on the same line is a list of items in its own right;
                # a run after a sentence is a list inside one item.
                m.run_from_line = (
                    prev is not None
                    and prev.line_end == m.line_end
                    and m.start - prev.body <= 30
                    and text[m.start - 1 : m.start] not in "：:"
                )
            if not ok:
                continue
        rank = ranks[m.scheme]
        keep = [x for x in stack if ranks[x.scheme] < rank]
        sibling = next((x for x in stack if x.scheme == m.scheme), None)
        if sibling is not None and ranks[sibling.scheme] == rank:
            ok = m.number == sibling.number + 1
        else:
            ok = m.number == 1 or m.number == last_global.get(m.scheme, 0) + 1
        if not ok:
            continue
        m.accepted = True
        m.parents = list(keep)
        stack = keep + [m]
        last_global[m.scheme] = m.number
        accepted.append(m)
        prev = m
    return accepted


def paragraphs(text: str, marks: list[Mark] | None = None) -> list[Paragraph]:
    """Lines of `text`, split again where an accepted inline marker starts an item."""
    by_pos = {m.start: m for m in marks or []}
    inline = sorted(m.start for m in marks or [] if not m.line_start)
    out: list[Paragraph] = []
    pos = 0
    k = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line:
            cuts = [pos]
            while k < len(inline) and inline[k] < end:
                if inline[k] > pos:
                    cuts.append(inline[k])
                k += 1
            cuts.append(end)
            for a, b in zip(cuts, cuts[1:], strict=False):
                piece = text[a:b]
                stripped = piece.rstrip()
                if stripped:
                    out.append(Paragraph(stripped, a, a + len(stripped), by_pos.get(a)))
        pos = end + 1
    return out


def heading_title(line: str) -> str:
    """'（一）提高政治站位，深入…。习近平…' → '（一）提高政治站位，深入…' (up to the first 。)."""
    head = line.split("。", 1)[0]
    return head[:60]


def lead_phrase(text: str) -> str:
    first = text.split("。", 1)[0]
    if len(first) <= 40:
        return first
    return first.split("，", 1)[0][:40]


_CLOSED = re.compile(
    r"[（【〔]([^（）【】〔〕]*(?:责任人|责任领导|牵头单位|责任单位|主责单位|牵头部门|责任部门|配合单位|分工负责|牵头|负责)"
    r"[^（）【】〔〕]*)[）】〕][。；]?\s*$"
)


def has_resp_block(text: str) -> bool:
    """Does the paragraph end with a responsibility block (which closes its measure)?"""
    return bool(_CLOSED.search(text) or BARE_CLAUSE.search(text))


def measure_scheme(text: str, accepted: list[Mark], ranks: dict[str, int]) -> str | None:
    """The scheme whose items are the measures (see the module docstring), or None (news)."""
    n = len(accepted)
    stats: dict[str, list[int]] = {}  # scheme → [items, with responsibility, substantive]
    # Subtree ends: the next accepted mark of the same or a higher level (one pass with a stack).
    subtree_end = [len(text)] * n
    open_: list[int] = []
    for i, m in enumerate(accepted):
        while open_ and ranks[accepted[open_[-1]].scheme] >= ranks[m.scheme]:
            subtree_end[open_.pop()] = m.start
        open_.append(i)
    for i, m in enumerate(accepted):
        own_end = accepted[i + 1].start if i + 1 < n else len(text)
        own = text[m.body : own_end]
        s = stats.setdefault(m.scheme, [0, 0, 0])
        s[0] += 1
        if _RESP_HINT.search(text, m.body, subtree_end[i]):
            s[1] += 1
        own = own.strip()
        if m.run_from_line and (len(own) >= 25 or _LEAD_PHRASE_AND_BODY.match(own)):
            s[2] += 1
    # The most items with a block; on a tie, the level where more of its items have one (a block
    # after the last sub-point belongs to the measure, not to that sub-point), then the deeper.
    with_resp = [(v[1], v[1] / v[0], ranks[k], k) for k, v in stats.items() if v[1] >= 2 and v[1] * 2 >= v[0]]
    if with_resp:
        return max(with_resp)[3]
    substantive = [(v[2], ranks[k], k) for k, v in stats.items() if v[2] >= 2]
    if substantive:
        return max(substantive)[2]
    return None


def _body_end(paras: list[Paragraph]) -> int:
    """Index of the paragraph where the body ends after the last item (signature, date, 附件)."""
    last = max((i for i, p in enumerate(paras) if p.mark is not None), default=-1)
    for i in range(last + 1, len(paras)):
        if _is_boundary(paras, i):
            return i
    return len(paras)


def _is_boundary(paras: list[Paragraph], i: int) -> bool:
    """A date line, an attachment line, or the signature line right above a date."""
    t = paras[i].text.strip()
    if paras[i].mark is not None:
        return False
    if _DATE_LINE.match(t) or re.match(r"^附件[：:\d一二三四五六七八九]?", t):
        return True
    nxt = paras[i + 1].text.strip() if i + 1 < len(paras) else ""
    return bool(_SIGNATURE.match(t) and _DATE_LINE.match(nxt))


def find_measures(text: str) -> list[MeasureDraft]:
    marks = candidates(text)
    if not marks:
        return []
    ranks = scheme_order(text, marks)
    accepted = accept(marks, ranks, text)
    scheme = measure_scheme(text, accepted, ranks)
    if scheme is None:
        return []
    level = ranks[scheme]
    paras = paragraphs(text, accepted)
    stop = _body_end(paras)
    measures: list[MeasureDraft] = []
    by_number: dict[str, MeasureDraft] = {}
    titles: dict[int, str] = {}  # id(mark) → heading title
    current: MeasureDraft | None = None
    for idx, p in enumerate(paras[:stop]):
        m = p.mark
        if m is None and current is not None and _is_boundary(paras, idx):
            current = None
            continue
        if m is not None:
            if ranks[m.scheme] < level:
                titles[id(m)] = heading_title(p.text)
                current = None
                continue
            if m.scheme == scheme:
                path = [titles[id(x)] for x in m.parents if id(x) in titles and ranks[x.scheme] < level]
                current = MeasureDraft(str(m.number), path, m.body, p.end, mark=m)
                current.parent_numbers = [x.number for x in m.parents if ranks[x.scheme] < level]
                current.part = m.part
                current.closed = has_resp_block(p.text)
                measures.append(current)
                by_number[current.number] = current
                continue
            # deeper item: part of the open measure
            if current is not None:
                current.end = p.end
                current.closed = current.closed or has_resp_block(p.text)
            continue
        if current is None:
            continue
        if _RESP_PARAGRAPH.match(p.text) and not current.closed:
            current.end = p.end
            current.closed = True
            continue
        if current.closed and _LEAD_PHRASE.match(p.text):
            base = current.number.split(".")[0]
            parent = by_number[base]
            parent.sub_count += 1
            sub = MeasureDraft(f"{base}.{parent.sub_count}", list(current.path), p.start, p.end)
            sub.parent_numbers = list(parent.parent_numbers)
            sub.part = parent.part
            sub.closed = has_resp_block(p.text)
            measures.append(sub)
            current = sub
            continue
        if not current.closed and not _CLOSING.match(p.text):
            current.end = p.end
            current.closed = has_resp_block(p.text)
            continue
        current = None
    parts = {d.part for d in measures}
    if len(parts) > 1:
        # A notice with numbered instructions and its attached policy: the part with the most
        # measures is the policy (the later one on a tie).
        best = max(parts, key=lambda k: (sum(d.part == k for d in measures), k))
        measures = [d for d in measures if d.part == best]
    _unique_numbers(measures)
    return measures


def _unique_numbers(measures: list[MeasureDraft]) -> None:
    """Qualify repeated numbers with the parents' numbers (`2-1`); a last resort suffix keeps ids unique."""
    numbers = [m.number for m in measures]
    if len(set(numbers)) == len(numbers):
        return
    for m in measures:
        m.number = "-".join([*map(str, m.parent_numbers), m.number])
    seen: dict[str, int] = {}
    for m in measures:
        if m.number in seen:
            seen[m.number] += 1
            m.number = f"{m.number}_{seen[m.number]}"
        else:
            seen[m.number] = 1


def responsibilities(text: str) -> tuple[list[str], list[str]]:
    """(responsible_persons, lead_units) of a measure, as written (see `units.responsibilities`)."""
    r = _responsibilities(text)
    return r.persons, r.lead


def measure_responsibility(text: str) -> Responsibility:
    return _responsibilities(text)
