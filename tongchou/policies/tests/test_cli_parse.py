"""`tongchou parse` prints the JSON contract and never touches the database."""

import json

import pytest
from django.core.management import CommandError, call_command

from .seeds import needs_seeds, seed_path

KEYS = {
    "title",
    "kind",
    "issuers",
    "doc_number",
    "cited_doc_numbers",
    "date",
    "region_code",
    "measures",
    "quantities",
}
MEASURE_KEYS = {
    "id",
    "number",
    "path",
    "title",
    "text",
    "responsible_persons",
    "lead_units",
    "supporting_units",
    "money",
    "percentages",
    "durations",
    "dates",
    "counts",
    "topics",
}


@needs_seeds
def test_parse_prints_the_contract_without_a_database(capsys):
    # No `db` fixture: pytest-django fails the test if the command touches the database.
    call_command("parse", str(seed_path("zhoucun-2020-8")))
    out = json.loads(capsys.readouterr().out)
    assert set(out) == KEYS
    assert set(out["measures"][0]) == MEASURE_KEYS
    assert out["measures"][0]["id"] == "zhoucun-2020-8/1"
    assert len(out["measures"]) == 55


@needs_seeds
def test_parse_slug_option_changes_measure_ids(capsys):
    call_command("parse", str(seed_path("jinan-2020-opinions")), "--slug", "jinan-2020-opinions")
    out = json.loads(capsys.readouterr().out)
    assert out["measures"][15]["id"] == "jinan-2020-opinions/16"


def test_parse_of_an_empty_file_fails_with_a_chinese_message(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(CommandError, match="文件为空"):
        call_command("parse", str(f))


@needs_seeds
def test_parse_departments_option_normalises_unit_names_and_keeps_unknown_ones(capsys):
    call_command("parse", str(seed_path("zhoucun-2020-8")), "--departments")
    out = json.loads(capsys.readouterr().out)
    by_number = {m["number"]: m for m in out["measures"]}
    assert by_number["14"]["lead_units"] == ["周村区人力资源和社会保障局"]
    assert "各有关部门" in by_number["51"]["lead_units"]  # not in the table: as written
    call_command("parse", str(seed_path("zhoucun-2020-8")))
    plain = json.loads(capsys.readouterr().out)
    assert {m["number"]: m for m in plain["measures"]}["14"]["lead_units"] == ["区人力资源社会保障局"]
