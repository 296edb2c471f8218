"""Who is responsible for a measure: responsible persons, lead units and supporting units.

Forms found in Chinese policy documents, all handled here:

- keyed blocks in brackets, anywhere in the measure (end, mid-paragraph, own line):
  `（责任人：A、B；牵头单位：X、Y）`, `【责任单位：X；配合单位：Y】`, `〔牵头部门：X〕`;
- keyed clauses without brackets at the start of a line or after a full stop, running to the end
  of the line: `责任单位：X、Y。`, `…落实到位。牵头单位：X；配合单位：Y`;
- keyless closing parentheses: `（A、B、C分工负责）`, `（A牵头，B配合）`, `（A负责）`;
- `X（牵头）、Y` inside a unit list marks X as lead and the others as supporting.

Values are cut at the first full stop (what follows is a note, e.g. `以下各条均由…落实，不再逐条列出`),
split on `、，,；` (and on 和/及/与 between two names that each end like an organisation), and
cleaned: `市财政局等有关部门` → `市财政局`; a part that reads as an instruction rather than a name
keeps the organisation it starts with (`各县区政府按属地落实` → `各县区政府`) or is dropped.

Names are kept as written. `normalise_units` maps them to the official names of a departments table
(name/short name/alias → official name) when one is given, and leaves the others verbatim.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PERSON_KEYS = ("责任领导", "牵头领导", "分管领导", "责任人")
LEAD_KEYS = (
    "牵头单位", "责任单位", "主责单位", "牵头部门", "责任部门", "主责部门", "主办单位",
    "承办单位", "落实单位", "实施单位", "牵头",
)  # fmt: skip
SUPPORT_KEYS = ("配合单位", "配合部门", "协办单位", "协同单位", "协助单位", "参与单位", "参加单位", "配合")
_ALL_KEYS = sorted(PERSON_KEYS + LEAD_KEYS + SUPPORT_KEYS, key=len, reverse=True)
_KEY_ALT = "|".join(_ALL_KEYS)
_KEYED = re.compile(rf"({_KEY_ALT})(?:/(?:{_KEY_ALT}))*[：:]")
_OPEN_CLOSE = {"（": "）", "【": "】", "〔": "〕", "[": "]", "［": "］", "(": ")"}
# A keyed clause without brackets: at the start of the line or right after a full stop.
BARE_CLAUSE = re.compile(rf"(?:^|(?<=[。；;]))[ \t]*(?:{_KEY_ALT})(?:/(?:{_KEY_ALT}))*[：:]", re.M)
_KEYLESS_HINT = re.compile(r"(牵头|负责|配合|协助|协同|参与)")
ORG_SUFFIX = re.compile(
    r"(委员会|管委会|办事处|指挥部|领导小组|工作组|联合会|协会|商会|中心|政府|党委|县委|区委|市委|部门|单位|"
    r"公司|集团|银行|分行|支行|大队|支队|总队|分局|法院|检察院|海关|税务局|局|委|办|厅|部|院|处|室|所|站|队|"
    r"社|馆|行|会|街道|乡镇|镇|乡|团|组)$"
)
_NOTE_WORDS = re.compile(
    r"(以下|不再|逐条|列出|均由|落实|按照|根据|职责|负责|参照|执行|组织实施|做好|抓好|结合|确保|请|视情)"
)
_ETC = re.compile(r"(等有关部门|等相关部门|等有关单位|等相关单位|等部门|等单位|等)$")


@dataclass
class Responsibility:
    persons: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)

    def merge(self, other: Responsibility) -> None:
        for mine, theirs in (
            (self.persons, other.persons),
            (self.lead, other.lead),
            (self.supporting, other.supporting),
        ):
            for x in theirs:
                if x not in mine:
                    mine.append(x)

    def __bool__(self) -> bool:
        return bool(self.persons or self.lead or self.supporting)


def _closing(text: str, start: int) -> int:
    """Index of the bracket closing the one at `start` (nesting aware), or -1."""
    open_ch = text[start]
    close_ch = _OPEN_CLOSE[open_ch]
    depth = 0
    for i in range(start, min(len(text), start + 600)):
        ch = text[i]
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n":
            return -1
    return -1


def keyed_blocks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of every bracketed block that opens with a responsibility key."""
    out = []
    for m in re.finditer(rf"[（【〔\[［(](?=\s*(?:{_KEY_ALT})(?:/(?:{_KEY_ALT}))*\s*[：:])", text):
        end = _closing(text, m.start())
        if end > 0:
            out.append((m.start(), end + 1, text[m.start() + 1 : end]))
    return out


def bare_clauses(text: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keyed clauses without brackets, from the key to the end of the line."""
    out = []
    spans = sorted((a, b) for a, b, _ in taken)
    k = 0
    for m in BARE_CLAUSE.finditer(text):
        while k < len(spans) and spans[k][1] <= m.start():
            k += 1
        if k < len(spans) and spans[k][0] <= m.start():
            continue
        end = text.find("\n", m.start())
        end = len(text) if end < 0 else end
        out.append((m.start(), end, text[m.start() : end].strip()))
    return out


def parse_keyed(content: str) -> Responsibility:
    r = Responsibility()
    matches = list(_KEYED.finditer(content))
    for i, m in enumerate(matches):
        value = content[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(content)]
        value = value.strip().rstrip("；;，,")
        key = m.group(1)
        if key in PERSON_KEYS:
            r.merge(Responsibility(persons=split_names(value, persons=True)))
        elif key in SUPPORT_KEYS:
            r.merge(Responsibility(supporting=split_units(value)))
        else:
            lead, support = _marked_lead(value)
            r.merge(Responsibility(lead=lead, supporting=support))
    return r


def _marked_lead(value: str) -> tuple[list[str], list[str]]:
    """`X（牵头）、Y、Z` → ([X], [Y, Z]); without a (牵头) mark every unit leads."""
    marked = re.findall(r"([^、，,；;（）]+)（牵头）", value)
    units = split_units(re.sub(r"（(牵头|配合|协助)）", "", value))
    if not marked:
        return units, []
    lead = [u for u in units if u in [x.strip() for x in marked]]
    return lead, [u for u in units if u not in lead]


def parse_keyless(block: str) -> Responsibility:
    """`A牵头，B配合` · `A、B、C分工负责` · `A负责` · `A牵头负责，B、C按职责分工负责`."""
    r = Responsibility()
    for clause in re.split(r"[，,；;。]", block):
        clause = clause.strip()
        if not clause:
            continue
        m = re.match(r"^(.+?)(?:牵头负责|牵头)", clause)
        if m:
            r.merge(Responsibility(lead=split_units(m.group(1))))
            continue
        m = re.match(r"^(.+?)(?:配合|协助|协同|参与)", clause)
        if m:
            r.merge(Responsibility(supporting=split_units(m.group(1))))
            continue
        m = re.match(r"^(.+?)(?:按职责分工负责|按职责负责|分工负责|共同负责|负责)$", clause)
        if m:
            units = split_units(m.group(1))
            if r.lead:
                r.merge(Responsibility(supporting=units))
            else:
                r.merge(Responsibility(lead=units))
    return r


def _split_top(value: str, seps: str = "、，,；;") -> list[str]:
    """Split on separators outside brackets: 各县（市、区）人民政府 stays one name."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in value:
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def split_names(value: str, *, persons: bool = False) -> list[str]:
    return [p.strip() for p in _split_top(value) if p.strip()]


def split_units(value: str) -> list[str]:
    value = value.split("。", 1)[0]
    out: list[str] = []
    for part in _split_top(value):
        for piece in _split_conjunction(part.strip()):
            unit = clean_unit(piece)
            if unit and unit not in out:
                out.append(unit)
    return out


def _split_conjunction(part: str) -> list[str]:
    """'市财政局和市税务局' → two units; '市发展和改革委员会' stays one."""
    for m in re.finditer(r"[和及与]", part):
        left, right = part[: m.start()], part[m.end() :]
        if len(left) >= 3 and len(right) >= 3 and ORG_SUFFIX.search(left) and ORG_SUFFIX.search(right):
            return [left, *_split_conjunction(right)]
    return [part]


def clean_unit(part: str) -> str | None:
    part = part.strip().strip("　 ").lstrip("由")
    part = _ETC.sub("", part).strip()
    if not part:
        return None
    note = _NOTE_WORDS.search(part)
    if note:
        head = part[: note.start()]
        org = None
        for m in re.finditer(ORG_SUFFIX.pattern.rstrip("$"), head):
            org = head[: m.end()]
        return org if org and len(org) >= 2 else None
    if len(part) > 40:
        return None
    return part


def responsibilities(text: str) -> Responsibility:
    """Everything a measure's text says about who is responsible (see the module docstring)."""
    r = Responsibility()
    blocks = keyed_blocks(text)
    for _s, _e, content in blocks:
        r.merge(parse_keyed(content))
    for _s, _e, content in bare_clauses(text, blocks):
        r.merge(parse_keyed(content))
    if r:
        return r
    m = re.search(r"（([^（）]*)）[。；\s]*$", text)
    if m and _KEYLESS_HINT.search(m.group(1)):
        return parse_keyless(m.group(1))
    return r


def normalise_units(units: list[str], names: Mapping[str, str] | None) -> list[str]:
    """Official names for units found in a departments table (any name → official), others as written."""
    if not names:
        return list(units)
    out: list[str] = []
    for u in units:
        v = names.get(u, u)
        if v not in out:
            out.append(v)
    return out


def departments_table(path: Path) -> dict[str, dict[str, str]]:
    """A departments CSV (`region_code,name,short_name,aliases`, aliases separated by `|`, as in
    regions/data/departments.csv) → {region code as 37/3703/370306: {any name: official name}}."""
    from .regions_table import division

    out: dict[str, dict[str, str]] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("region_code") or "").strip()
            d = division(code)
            key = d.short_code if d else code
            official = (row.get("name") or "").strip()
            names = [official, (row.get("short_name") or "").strip()]
            names += [a.strip() for a in (row.get("aliases") or "").split("|")]
            table = out.setdefault(key, {})
            for name in names:
                if name:
                    table.setdefault(name, official)
    return out
