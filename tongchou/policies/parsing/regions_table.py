"""Region names found in documents → GB/T 2260 codes (as printed in the issue: city 4 digits, county 6)."""

from __future__ import annotations

import re

REGION_CODES: dict[str, str] = {
    "山东省": "37",
    "淄博市": "3703",
    "淄博": "3703",
    "淄川区": "370302",
    "张店区": "370303",
    "博山区": "370304",
    "临淄区": "370305",
    "周村区": "370306",
    "周村": "370306",
    "桓台县": "370321",
    "高青县": "370322",
    "沂源县": "370323",
    "济南市": "3701",
    "济南": "3701",
    "德州市": "3714",
    "德州": "3714",
    "德城区": "371402",
    "陵城区": "371403",
    "宁津县": "371422",
    "庆云县": "371423",
    "临邑县": "371424",
    "齐河县": "371425",
    "平原县": "371426",
    "夏津县": "371427",
    "武城县": "371428",
    "乐陵市": "371481",
    "禹城市": "371482",
}

# Names of the cities, used to qualify "市委、市政府" once the region is known.
CITY_NAMES = {"3703": "淄博", "3701": "济南", "3714": "德州", "370306": "周村"}

_NAMES_RE = re.compile("|".join(sorted(map(re.escape, REGION_CODES), key=len, reverse=True)))


def find_regions(text: str) -> list[tuple[int, str, str]]:
    """All region names in `text` as (position, name, code)."""
    return [(m.start(), m.group(0), REGION_CODES[m.group(0)]) for m in _NAMES_RE.finditer(text)]


def region_code(name: str) -> str | None:
    return REGION_CODES.get(name)


def trailing_region(text: str) -> str | None:
    """A region name that `text` ends with (known names, or any 2–3 character 市/县/区)."""
    for name in sorted(REGION_CODES, key=len, reverse=True):
        if text.endswith(name) and name.endswith(("市", "县", "区")):
            return name
    m = re.search(r"([\u4e00-\u9fff]{2,3}[县区])$", text)
    return m.group(1) if m else None
