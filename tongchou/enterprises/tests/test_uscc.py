"""GB 32100-2015 checks: each rule has a test that fails if the rule breaks."""

import pytest

from tongchou.enterprises.uscc import ALPHABET, check, check_char, make_uscc, org_check_char

REAL_CODES = ["91110108551385082Q", "914403001922038216", "91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    r = check(code)
    assert r.valid, r.errors
    assert r.errors == [] and r.warnings == []


def test_check_character_error_names_position_and_expected_character():
    good = make_uscc("370306", 42)
    wrong = ALPHABET[(ALPHABET.index(good[-1]) + 1) % 31]
    r = check(good[:-1] + wrong)
    assert not r.valid
    assert r.errors == [f"第18位校验码“{wrong}”错误，按 GB 32100 计算应为“{good[-1]}”"]


def test_every_single_character_substitution_is_detected():
    good = make_uscc("370303", 12345)
    for pos in range(17):
        for ch in ALPHABET:
            if ch == good[pos]:
                continue
            candidate = good[:pos] + ch + good[pos + 1 :]
            assert check_char(candidate[:17]) != good[17], (pos, ch)


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V"])
def test_forbidden_letters_are_errors_naming_position(bad):
    good = make_uscc("370306", 7)
    code = good[:10] + bad + good[11:]
    r = check(code)
    assert not r.valid
    assert f"第11位字符“{bad}”不合法" in r.errors[0]


@pytest.mark.parametrize("code,length", [("91370306MA3C0000", 16), ("91370306MA3C000001X2", 20)])
def test_wrong_length_is_an_error(code, length):
    r = check(code)
    assert not r.valid
    assert f"长度应为18位，实际为{length}位" in r.errors


def test_unknown_registration_authority_is_an_error():
    good = make_uscc("370306", 3)
    code = "B" + good[1:17]
    r = check(code + check_char(code))
    assert not r.valid
    assert any("第1位登记管理部门代码“B”不存在" in e for e in r.errors)


@pytest.mark.parametrize(
    "authority,entity,ok",
    [("9", "1", True), ("9", "2", True), ("9", "3", True), ("9", "4", False), ("9", "9", False),
     ("5", "1", True), ("5", "3", True), ("5", "4", False), ("1", "9", True), ("Y", "1", True), ("Y", "2", False)],
)  # fmt: skip
def test_entity_type_must_exist_for_the_authority(authority, entity, ok):
    code = make_uscc("370306", 5, authority=authority, entity=entity)
    r = check(code)
    assert r.valid is ok
    if ok:
        assert r.entity_type == authority + entity
    else:
        assert any("第2位机构类别代码" in e for e in r.errors)


def test_region_outside_shipped_divisions_is_only_a_warning():
    code = make_uscc("440305", 9)  # 深圳南山
    r = check(code, known_region={"370306", "370300"})
    assert r.valid
    assert r.region_code == "440305"
    assert any("440305 不在本系统已载入的区划内" in w for w in r.warnings)


def test_known_region_may_be_a_callable():
    r = check(make_uscc("370306", 9), known_region=lambda code: code.startswith("37"))
    assert r.valid and r.warnings == []


def test_non_digit_region_part_is_an_error():
    body = "91" + "3703A6" + "MA3C0000" + "1"
    r = check(body + check_char(body))
    assert not r.valid
    assert any("第3-8位登记管理机关行政区划码“3703A6”应为6位数字" in e for e in r.errors)


def test_gb11714_failure_is_a_warning_not_an_error():
    good = make_uscc("370306", 99)
    org_bad = "0" if good[16] != "0" else "1"
    first17 = good[:16] + org_bad
    r = check(first17 + check_char(first17))
    assert r.valid
    assert any("GB 11714" in w for w in r.warnings)


def test_org_check_char_matches_gb11714_example():
    # GB 11714 worked example: D2143569-X
    assert org_check_char("D2143569") == "X"


def test_input_is_normalised_with_a_warning():
    good = make_uscc("370306", 1)
    messy = " " + good.lower()[:9] + "　" + good.lower()[9:]  # full-width space inside
    r = check(messy)
    assert r.valid and r.code == good
    assert any("规范化" in w for w in r.warnings)


def test_kind_follows_entity_type():
    assert check(make_uscc("370306", 1, entity="2")).kind == "sole_proprietor"
    assert check(make_uscc("370306", 1, entity="3")).kind == "cooperative"
    assert check(make_uscc("370306", 1, authority="5", entity="1")).kind == "other"


def test_empty_code_is_an_error():
    assert check("").errors == ["统一社会信用代码为空"]


def test_make_uscc_rejects_bad_region():
    with pytest.raises(ValueError):
        make_uscc("3703", 1)
