"""Quantities in Chinese policy text: money (in yuan, with the original words), percentages,
durations, dates and date ranges, counts with what they count (and, for news figures, the
district and day they belong to)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .money import extract_money
from .regions_table import trailing_region

NUM = r"\d+(?:\.\d+)?"
_CN_DIGITS = {
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
    "十": 10,
}
_MULT = {"": 1, None: 1, "千": 1_000, "万": 10_000, "亿": 100_000_000}


def cn_int(s: str) -> int | None:
    """Small Chinese numerals (一…九十九) and digits."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS for c in s):
        return None
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s] if len(s) == 1 else None


def _num(s: str) -> float | int:
    v = float(s)
    return int(v) if v.is_integer() else v


def _scaled(value: str, mult: str | None) -> float | int:
    v = float(value) * _MULT[mult or ""]
    v = round(v, 4)
    return int(v) if float(v).is_integer() else v


@dataclass
class Quantity:
    kind: str  # money | percentage | duration | date | count
    text: str
    start: int
    end: int
    value: float | int | str | None = None
    unit: str | None = None
    what: str = ""
    region: str | None = None
    day: str | None = None
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        if self.kind == "money":
            return {"yuan": self.value, "text": self.text, **self.extra}
        if self.kind == "percentage":
            return {"value": self.value, "text": self.text}
        if self.kind == "duration":
            return {"value": self.value, "unit": self.unit, "text": self.text}
        if self.kind == "date":
            return {"date": self.value, "text": self.text}
        return {"value": self.value, "unit": self.unit, "text": self.text}

    def as_figure(self) -> dict:
        """Document-level figure (news reports): the quantity and what it counts."""
        out = {
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "text": self.text,
            "what": self.what,
        }
        if self.region:
            out["region"] = self.region
        if self.day:
            out["day"] = self.day
        if self.kind == "money":
            out.update({k: v for k, v in self.extra.items() if k != "yuan"})
        return out


_MONEY_BARE = re.compile(rf"(?<=奖励)(?<![\d.])({NUM})(万|亿)(?![\u4e00-\u9fff元])")
_PERCENT = re.compile(rf"(?<![\d.])({NUM})(%|个百分点)")
_DURATION = re.compile(
    r"(?<![\d.年月])(\d{1,3}|[一二两三四五六七八九十]{1,3})(个月|个工作日|天|年|周)(?![度底初末内份])"
)
_DATE = re.compile(
    r"(自|从|至|到|截至|截止到|截止|有效期至|延长至|延至|执行至|暂定执行至)?"
    r"(?<!\d)(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?(起|前|后|止|以前|以后|之前|开始|到期)?"
)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_SHORT_DATE = re.compile(
    r"(自|从|至|到|截至|有效期至|延长至)?(?<![年\d])(\d{1,2})月(\d{1,2})日(起|前|后|止|以前|以后|之前|开始|到期)?"
)
_COUNT_UNITS = "人次|批次|大类|个|家|项|条|名|人|位|批|款|类|例|套|处|管|辆|亩|所|座|场|件|户|台|张|支|只|吨|间|栋|组|轮|次"
_COUNT = re.compile(rf"(?<![\d.第])({NUM})(万|亿)?(余|多)?({_COUNT_UNITS})")
_HEAD_NOUNS = re.compile(
    r"(项目|企业|问题|产品|病例|感染者|人员|职工|单位|机构|平台|基地|镇|街道|区县|车辆|展会|督导组|实事|行动|设备|采样点|批次|患者|代表|贷款|工程|领域|电厂)"
)
_STOP = set("的在将已为是要和与及并从向对于把被按以具达实使就都也还让给由")
_SPLIT = "，。；、：（）“”《》！？\n"


def _following_noun(text: str, pos: int) -> str:
    window = ""
    for ch in text[pos : pos + 10]:
        if ch in _SPLIT or ch.isdigit():
            break
        window += ch
    heads = list(_HEAD_NOUNS.finditer(window))
    if heads:
        return window[: heads[0].end()]
    out = ""
    for ch in window[:8]:
        if ch in _STOP:
            break
        out += ch
    return out


def _preceding(text: str, pos: int, limit: int = 16) -> str:
    start = pos
    while start > 0 and pos - start < limit and text[start - 1] not in _SPLIT:
        start -= 1
    return text[start:pos]


_LEADING = re.compile(r"^(其中|全市|全区|全省|已设|已有|现有|共有|共计|累计|目前|已|共)+")
_TRAILING = re.compile(r"(共计|共|达到|达|约|累计|超过|为|有|已|均)$")


def _split_subject(before: str) -> tuple[str, str | None, str | None]:
    """'其中禹城市' → ('', '禹城市', None); '(20日' → ('', None, '20日'); '新增本土确诊病例' → subject."""
    s = before
    day = None
    m = re.search(r"(\d{1,2}日)$", s)
    if m:
        day = m.group(1)
        s = s[: m.start()]
    s = _LEADING.sub("", s)
    region = trailing_region(s) if len(s) <= 6 else None
    if region and s.endswith(region) and len(s) - len(region) <= 2:
        s = s[: -len(region)]
        s = _LEADING.sub("", s)
    s = _TRAILING.sub("", s)
    return s, region, day


def extract(text: str, *, default_year: int | None = None, offset: int = 0) -> list[Quantity]:
    """All quantities in `text`, ordered by position. Offsets are shifted by `offset`."""
    found: list[Quantity] = []
    # Characters already part of a quantity: one byte per character, so checking a match is
    # proportional to its own length (the whole pass stays linear in the text).
    taken = bytearray(len(text))

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) < 0

    def add(q: Quantity) -> None:
        a, b = q.start - offset, q.end - offset
        taken[a:b] = b"\x01" * (b - a)
        found.append(q)

    for am in extract_money(text):
        extra = {k: v for k, v in am.as_json().items() if k not in ("yuan", "text")}
        add(Quantity("money", am.text, am.start + offset, am.end + offset, am.yuan, "yuan", extra=extra))
    for m in _MONEY_BARE.finditer(text):
        if free(*m.span()):
            add(
                Quantity(
                    "money",
                    m.group(0),
                    m.start() + offset,
                    m.end() + offset,
                    _scaled(m.group(1), m.group(2)),
                    "yuan",
                )
            )
    for m in _DATE.finditer(text):
        if not free(*m.span()):
            continue
        y, mo, d = int(m.group(2)), int(m.group(3)), int(m.group(4) or 1)
        try:
            iso = date(y, mo, d).isoformat()
        except ValueError:
            continue
        add(Quantity("date", m.group(0), m.start() + offset, m.end() + offset, iso))
    for m in _ISO_DATE.finditer(text):
        if free(*m.span()):
            try:
                iso = date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                continue
            add(Quantity("date", m.group(0), m.start() + offset, m.end() + offset, iso))
    year = default_year
    years = [int(str(q.value)[:4]) for q in found if q.kind == "date"]
    if years:
        year = years[0]
    if year:
        for m in _SHORT_DATE.finditer(text):
            if free(*m.span()):
                try:
                    iso = date(year, int(m.group(2)), int(m.group(3))).isoformat()
                except ValueError:
                    continue
                add(Quantity("date", m.group(0), m.start() + offset, m.end() + offset, iso))
    for m in _PERCENT.finditer(text):
        if free(*m.span()):
            add(
                Quantity(
                    "percentage",
                    m.group(0),
                    m.start() + offset,
                    m.end() + offset,
                    _num(m.group(1)),
                    m.group(2),
                )
            )
    for m in _DURATION.finditer(text):
        if not free(*m.span()):
            continue
        n = cn_int(m.group(1))
        if n is None or (m.group(2) == "年" and n >= 50):
            continue
        unit = {"个月": "month", "天": "day", "个工作日": "day", "年": "year", "周": "day"}[m.group(2)]
        days_or_n: int = n * 7 if m.group(2) == "周" else n
        add(Quantity("duration", m.group(0), m.start() + offset, m.end() + offset, days_or_n, unit))
    # Counts: news figures keep what they count, the district and the day.
    last_subject = ""
    last_end = 0
    for m in _COUNT.finditer(text):
        if not free(*m.span()):
            continue
        if re.search(r"[。\n]", text[last_end : m.start()]):
            last_subject = ""
        last_end = m.end()
        unit = m.group(4)
        value = _scaled(m.group(1), m.group(2))
        before = _preceding(text, m.start())
        subject, region, day = _split_subject(before)
        after = _following_noun(text, m.end())
        if unit in ("例", "人", "名", "人次", "管", "处", "套", "位") and (not after or unit == "例"):
            what = subject
        else:
            what = after or subject
        if unit == "例":
            if not what:
                what = last_subject or _sentence_subject(text, m.start())
            else:
                last_subject = what
        if len(what) < 2:
            what = re.split(r"[，。；、：\n]", text[m.end() : m.end() + 14])[0]
        add(
            Quantity(
                "count", m.group(0), m.start() + offset, m.end() + offset, value, unit, what, region, day
            )
        )
    found.sort(key=lambda q: q.start)
    return found


def _sentence_subject(text: str, pos: int) -> str:
    start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
    m = re.search(r"([\u4e00-\u9fff]{0,6}(?:病例|感染者))", text[start:pos])
    return m.group(1) if m else ""
