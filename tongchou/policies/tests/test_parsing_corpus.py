"""The parser on a corpus of policy documents written for these tests (none copied from a real one).

Each document in `corpus/` has an expectation beside it (`<name>.yaml`): kind, title, issuers,
doc number, date, region, and for the measures their count, numbers and, for some, title, path,
units, persons and amounts. Formats: UTF-8 text, GB18030/GBK and Big5 files, Traditional characters,
.html pages with their site furniture, and .docx built here with python-docx from `<name>.docx.txt`
(one paragraph per line; a line starting with `|` is a table row, cells separated by `|`).

Checks compare only what an expectation states; money entries compare the keys they give
(`yuan`, `low_yuan`, `high_yuan`, `bound`, `per`, `unsure`, `text`).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from tongchou.policies.parsing import parse_bytes

CORPUS = Path(__file__).parent / "corpus"
SOURCES = sorted(p for p in CORPUS.iterdir() if p.suffix != ".yaml")


def _docx_bytes(source: Path) -> bytes:
    import docx

    document = docx.Document()
    rows: list[list[str]] = []
    for line in source.read_text(encoding="utf-8").split("\n"):
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            rows = []
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _load(source: Path) -> tuple[bytes, str]:
    if source.name.endswith(".docx.txt"):
        return _docx_bytes(source), source.name.removesuffix(".txt")
    return source.read_bytes(), source.name


def _expectation(source: Path) -> dict:
    stem = source.name.split(".")[0]
    return yaml.safe_load((CORPUS / f"{stem}.yaml").read_text(encoding="utf-8"))


def test_the_corpus_has_at_least_forty_documents_in_every_format():
    assert len(SOURCES) >= 40
    names = [p.name for p in SOURCES]
    assert sum(n.endswith(".html") for n in names) >= 5
    assert sum(n.endswith(".docx.txt") for n in names) >= 5
    assert sum(".gbk." in n or ".gb18030." in n for n in names) >= 4
    assert sum(".big5." in n or ".hant." in n for n in names) >= 4
    for p in SOURCES:
        assert (CORPUS / f"{p.name.split('.')[0]}.yaml").is_file(), p.name


def _check_money(got: list[dict], want: list[dict], where: str) -> None:
    assert len(got) == len(want), f"{where}: money {got}"
    for g, w in zip(got, want, strict=True):
        for key, value in w.items():
            assert g.get(key) == value, f"{where}: money {key} {g}"
        for key in ("low_yuan", "high_yuan", "bound", "unsure"):
            if key not in w:
                assert key not in g, f"{where}: unexpected {key} in {g}"


@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_corpus_document_parses_as_expected(source):
    data, filename = _load(source)
    want = _expectation(source)
    doc = parse_bytes(data, filename=filename)
    out = doc.as_json()
    for key in ("kind", "title", "issuers", "doc_number", "cited_doc_numbers", "date", "region_code"):
        if key in want:
            assert out[key] == want[key], f"{key}: {out[key]!r}"
    for word in want.get("not_in_text", []):
        assert word not in doc.text, f"furniture left in the text: {word}"
        assert word not in out["title"]
    measures = want.get("measures")
    if measures is None:
        return
    got = out["measures"]
    assert len(got) == measures["count"], [m["number"] for m in got]
    if "numbers" in measures:
        assert [m["number"] for m in got] == measures["numbers"]
    by_number = {m["number"]: m for m in got}
    for number, exp in (measures.get("items") or {}).items():
        m = by_number[str(number)]
        where = f"measure {number}"
        for key in ("title", "path", "lead_units", "supporting_units", "responsible_persons"):
            if key in exp:
                assert m[key] == exp[key], f"{where} {key}: {m[key]!r}"
        if "money" in exp:
            _check_money(m["money"], exp["money"], where)
        for words in exp.get("text_contains", []):
            assert words in m["text"], f"{where}: {words!r} not in {m['text']!r}"
        for words in exp.get("not_in_text", []):
            assert words not in m["text"], f"{where}: {words!r} in {m['text']!r}"
    for m in got:
        assert doc.text[doc.measures[got.index(m)].start : doc.measures[got.index(m)].end] == m["text"]
