"""Headings (一、 / （一） / 1.) and the measures under them, with lead phrase, responsible
persons and lead units. Works on normalised text (one paragraph per line)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_L1 = re.compile(r"^([一二三四五六七八九十]{1,3})、")
_L2 = re.compile(r"^（([一二三四五六七八九十]{1,3})）")
_NUMBERED = re.compile(r"^(\d{1,3})[.、](?!\d)\s*")
_RESP_PARAGRAPH = re.compile(r"^（?(责任人|牵头单位|责任单位|主责单位)[：:]")
_CLOSING = re.compile(r"^(各[^，。]{0,14}(要|应|务必)|本(意见|措施|通知|办法|方案|细则)自|以上(措施|政策))")
_LEAD_PHRASE = re.compile(r"^([^，。；：（）]{2,25})。")
_RESP_BLOCK = re.compile(
    r"（([^（）]*(?:责任人|牵头单位|责任单位|主责单位|分工负责|牵头|负责)[^（）]*)）\s*$"
)


@dataclass
class Paragraph:
    text: str
    start: int
    end: int


@dataclass
class MeasureDraft:
    number: str
    path: list[str]
    start: int
    end: int
    closed: bool = False
    sub_count: int = 0
    paragraphs: list[Paragraph] = field(default_factory=list)


def paragraphs(text: str) -> list[Paragraph]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line:
            out.append(Paragraph(line, pos, pos + len(line)))
        pos += len(line) + 1
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


def has_resp_block(text: str) -> bool:
    return bool(_RESP_BLOCK.search(text))


def find_measures(text: str) -> list[MeasureDraft]:
    paras = paragraphs(text)
    numbered = [p for p in paras if _NUMBERED.match(p.text)]
    if len(numbered) < 3:
        return []
    measures: list[MeasureDraft] = []
    path: list[str] = []
    current: MeasureDraft | None = None
    last_number: int | None = None
    for p in paras:
        m1, m2, mn = _L1.match(p.text), _L2.match(p.text), _NUMBERED.match(p.text)
        if m1:
            path = [heading_title(p.text)]
            current = None
            continue
        if m2:
            path = path[:1] + [heading_title(p.text)]
            current = None
            continue
        if mn:
            n = int(mn.group(1))
            if last_number is None or n == last_number + 1:
                last_number = n
                body_start = p.start + mn.end()
                current = MeasureDraft(str(n), list(path), body_start, p.end)
                current.closed = has_resp_block(p.text)
                measures.append(current)
                continue
        if current is None:
            continue
        if _RESP_PARAGRAPH.match(p.text) and not current.closed:
            current.end = p.end
            current.closed = True
            continue
        if current.closed and _LEAD_PHRASE.match(p.text):
            base = current.number.split(".")[0]
            parent = next(m for m in reversed(measures) if m.number == base)
            parent.sub_count += 1
            current = MeasureDraft(f"{base}.{parent.sub_count}", list(path), p.start, p.end)
            current.closed = has_resp_block(p.text)
            measures.append(current)
            continue
        if not current.closed and not _CLOSING.match(p.text):
            current.end = p.end
            current.closed = has_resp_block(p.text)
            continue
        current = None
    return measures


def _split_names(value: str) -> list[str]:
    parts = re.split(r"[、，,]", value)
    return [p.strip() for p in parts if p.strip()]


def responsibilities(text: str) -> tuple[list[str], list[str]]:
    """(responsible_persons, lead_units) from the closing parenthesis of a measure, as written.

    Styles: （责任人：A、B；牵头单位：X、Y） · （A、B、C分工负责） · （A牵头，B配合） · （A负责）.
    """
    m = _RESP_BLOCK.search(text)
    if not m:
        return [], []
    block = m.group(1)
    persons: list[str] = []
    units: list[str] = []
    if "：" in block or ":" in block:
        for part in re.split(r"[；;]", block):
            key, _sep, value = _kv(part)
            key = key.strip()
            if key == "责任人":
                persons.extend(_split_names(value))
            elif key in ("牵头单位", "责任单位", "主责单位"):
                units.extend(_split_names(value))
        return persons, units
    lead = re.match(r"^(.+?)(分工负责|共同负责|负责)$", block)
    if lead:
        return [], _split_names(lead.group(1))
    lead = re.match(r"^(.+?)牵头", block)
    if lead:
        return [], _split_names(lead.group(1))
    return [], []


def _kv(part: str) -> tuple[str, str, str]:
    m = re.match(r"^([^：:]*)([：:])(.*)$", part)
    if not m:
        return part, "", ""
    return m.group(1), m.group(2), m.group(3)
