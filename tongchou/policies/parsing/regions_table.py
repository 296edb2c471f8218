"""Region names found in documents → GB/T 2260 codes, for every province, city and county of China.

The table is `tongchou/regions/data/divisions.csv` (34 provinces, 333 prefecture-level divisions,
2,847 county-level ones; source and date in that folder's README) plus `divisions_former.csv`
(names abolished or renamed since 2010, mapped to the division that holds the area now). No Django
import: the parser and `tongchou parse` read the files directly.

Codes are returned as printed in the issue-3 contract: the significant prefix of the six-digit
code — province `37`, city `3703`, county `370306`.

Names are matched by their full form (淄博市, 周村区, 恩施土家族苗族自治州), the usual short forms
of provinces and prefecture-level cities (山东, 淄博, 恩施州, 广西) and the 县 form of autonomous
counties (石柱县). County short forms (周村, 平原, 振兴) are not used on their own: too many are
ordinary words. A name that several divisions share (市中区, 朝阳区, 鼓楼区) is resolved by a city
or province named in the same context; otherwise it is left unresolved rather than guessed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "regions" / "data"

# Short forms that are also ordinary words or another division's name: matched only in full.
_AMBIGUOUS_SHORT = {
    "大同", "中山", "黄山", "白山", "北海", "安康", "来宾", "白银", "大庆", "朝阳", "长治", "吉安",
    "四平", "普洱", "黑河", "山南", "阿里", "海北", "海西", "海南", "黄南", "果洛", "玉树", "吉林",
    "海东", "抚顺", "宁德", "三明", "通化", "延安", "新余", "永州", "江门",
}  # fmt: skip
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,8}族)+自治(州|县|旗)$")


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str
    level: str  # province | city | county
    parent: str  # six digits or ""

    @property
    def short_code(self) -> str:
        """37 / 3703 / 370306 (the prefix every code in this division starts with)."""
        return {"province": self.code[:2], "city": self.code[:4]}.get(self.level, self.code)


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    return {
        r["code"]: Division(r["code"], r["name"], r["level"], r["parent_code"])
        for r in _read("divisions.csv")
    }


def short_forms(d: Division) -> list[str]:
    """Other names documents use for a province or city (山东, 淄博, 恩施州, 恩施) and for
    autonomous counties (石柱县)."""
    out: list[str] = []
    name = d.name
    if d.level == "province":
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    elif d.level == "city":
        m = _ETHNIC.match(name)
        if m:
            out += [m.group(1) + "州", m.group(1)]
        elif name.endswith(("市", "盟")) and len(name) >= 3:
            out.append(name[:-1])
        elif name.endswith("地区") and len(name) >= 4:
            out.append(name[:-2])
    else:
        m = _ETHNIC.match(name)
        if m:
            out.append(m.group(1) + m.group(2))
    return [s for s in out if len(s) >= 2 and s not in _AMBIGUOUS_SHORT]


@lru_cache(maxsize=1)
def name_index() -> dict[str, tuple[str, ...]]:
    """Every name (full, short, former) → the codes of the divisions it may mean."""
    index: dict[str, list[str]] = {}

    def add(name: str, code: str) -> None:
        codes = index.setdefault(name, [])
        if code not in codes:
            codes.append(code)

    divs = divisions()
    for d in divs.values():
        add(d.name, d.code)
    for d in divs.values():
        for s in short_forms(d):
            if s not in index or d.level == "province":
                add(s, d.code)
    for r in _read("divisions_former.csv"):
        if r["code"] in divs and r["name"] not in index:
            add(r["name"], r["code"])
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _lengths() -> tuple[int, ...]:
    return tuple(sorted({len(n) for n in name_index()}, reverse=True))


@lru_cache(maxsize=1)
def _by_first_char() -> dict[str, tuple[int, ...]]:
    """First character of a name → the lengths of the names starting with it, longest first."""
    out: dict[str, set[int]] = {}
    for name in name_index():
        out.setdefault(name[0], set()).add(len(name))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


def find_names(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Leftmost-longest, non-overlapping region names in `text`: (position, name, candidate codes).
    Linear in the text (a few dictionary lookups per position)."""
    index, first = name_index(), _by_first_char()
    out = []
    i, n = 0, len(text)
    while i < n:
        lengths = first.get(text[i])
        if lengths:
            for length in lengths:
                codes = index.get(text[i : i + length]) if i + length <= n else None
                if codes:
                    out.append((i, text[i : i + length], codes))
                    i += length
                    break
            else:
                i += 1
        else:
            i += 1
    return out


def ancestors(code: str) -> list[str]:
    """Six-digit codes of the division and the divisions above it."""
    divs = divisions()
    out = []
    while code and code in divs and code not in out:
        out.append(code)
        code = divs[code].parent
    return out


def resolve(
    names: Iterable[tuple[int, str, tuple[str, ...]]], context: set[str]
) -> list[tuple[int, str, str]]:
    """Pick one code per name: the only one, or the one under a city/province named in `context`
    (six-digit codes). Names that stay ambiguous are dropped."""
    out = []
    for pos, name, codes in names:
        if len(codes) == 1:
            out.append((pos, name, codes[0]))
            continue
        fits = [c for c in codes if any(a in context for a in ancestors(c)[1:])]
        if len(fits) == 1:
            out.append((pos, name, fits[0]))
    return out


def find_regions(text: str, context_text: str = "") -> list[tuple[int, str, str]]:
    """All region names in `text` as (position, name, code as 37/3703/370306); names that several
    divisions share are resolved with the names in `text` and `context_text`."""
    found = find_names(text)
    context = {c for _, _, codes in found + find_names(context_text) if len(codes) == 1 for c in codes}
    divs = divisions()
    return [(pos, name, divs[code].short_code) for pos, name, code in resolve(found, context)]


def region_name(short_code: str) -> str | None:
    d = division(short_code)
    return d.name if d else None


def division(short_code: str) -> Division | None:
    return divisions().get(short_code.ljust(6, "0")) if short_code else None


def level_rank(short_code: str) -> int:
    return {2: 0, 4: 1, 6: 2}.get(len(short_code), 3)


def region_code(name: str) -> str | None:
    codes = name_index().get(name)
    if codes and len(codes) == 1:
        return divisions()[codes[0]].short_code
    return None


_TRAILING = re.compile(r"([\u4e00-\u9fff]{2,3}[县区])$")


def trailing_region(text: str) -> str | None:
    """A region name that `text` ends with (a known 市/县/区/旗, or any 2–3 character 县/区)."""
    index = name_index()
    for length in _lengths():
        if length <= len(text):
            tail = text[-length:]
            if tail in index and tail.endswith(("市", "县", "区", "旗")):
                return tail
    m = _TRAILING.search(text)
    return m.group(1) if m else None
