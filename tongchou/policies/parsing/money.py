"""Amounts of money in Chinese policy text, in yuan — never a wrong value.

Forms read: Arabic numbers with or without thousands separators (`1,500万元` = 15,000,000), Chinese
numerals (`五百万元`, `二十亿元`, `一千二百万元`, `一亿五千万元`, financial 壹佰万元), mixed
(`5千万元`, `1.6万亿元`, `1万5千元`), approximate (`500余万元`, `1000多万元`: a floor), ranges
(`1至3万元`, `1-3万元`, `1万元至3万元`: both ends), per-unit rates (`0.8元/吨`, `每人每月1000元`),
caps and floors (`最高不超过500万元`, `不低于10万元`, `500万元以下`, `100万元以上`).

What cannot be read for certain is marked `unsure` with no value rather than guessed: a full-width
comma between digit groups (`1，500万元`: 1,500万 or a list?), malformed grouping (`1,50万元`),
colloquial numerals (`一二万元`, `三万五千`… `三万五`), a range whose ends disagree. Vague amounts
(`数百万元`, `上千万元`, `几十万元`, `每万元`) are not amounts and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
LARGE_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN = "".join(CN_DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)
# Units of a per-unit rate (0.8元/吨, 50元/平方米·月, 100元/人/月).
_UNITS = (
    "平方米|立方米|千瓦时|人次|学时|课时|标箱|公里|小时|工作日|月|年|天|日|周|次|人|户|家|吨|亩|台|辆|个|度|"
    "箱|车|床|间|套|件|张|只|头|批|项|场|期|名|位|㎡|m²|kWh|kg|t"
)
_NUMERAL = rf"(?:\d+(?:[,，]\d+)*(?:\.\d+)?(?:余|多)?[{CN}]*|[{CN}]+(?:余|多)?[{CN}]*)"
MONEY = re.compile(
    rf"(?<![\d.,，{CN}])(?P<a>{_NUMERAL})(?:(?P<aunit>元)?[ ]?(?P<sep>至|到|-|—|–|~|～|－)[ ]?(?P<b>{_NUMERAL}))?"
    rf"元(?P<per>/(?:{_UNITS})(?:[/·](?:{_UNITS}))?)?"
)
# Words before an amount that belong to it (kept in its text, as the seeds' figures were).
PREFIX = re.compile(
    r"((?:每人每月|每人|每户|每家|每个|每亩|每平方米|每吨)?(?:最高不超过|最高给予|最高|不超过|不高于|不低于|超过|至少|累计|总投资)?)$"
)
_PER_PREFIX = re.compile(rf"(?:每|单(?!位))({_UNITS})")
_MAX_WORDS = re.compile(r"(最高|不超过|不高于|不多于|最多|上限|封顶)|(以内|近)$")
_MIN_WORDS = re.compile(r"(不低于|不少于|至少|最低|超过|高于|多于|逾)")
_MAX_AFTER = re.compile(r"^(以下|以内|封顶|为限)")
_MIN_AFTER = re.compile(r"^(以上|及以上|起)")
_VAGUE_BEFORE = set("数几")  # 数百万, 几十万: no definite amount
_HAS_DIGIT = re.compile(r"[\d一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾]")


@dataclass
class Amount:
    text: str
    start: int
    end: int
    yuan: float | int | None
    low: float | int | None = None
    high: float | int | None = None
    bound: str | None = None  # max | min
    per: str | None = None
    unsure: bool = False

    def as_json(self) -> dict:
        out: dict = {"yuan": self.yuan, "text": self.text}
        if self.low is not None or self.high is not None:
            out["low_yuan"], out["high_yuan"] = self.low, self.high
        if self.bound:
            out["bound"] = self.bound
        if self.per:
            out["per"] = self.per
        if self.unsure:
            out["unsure"] = True
        return out


def _tidy(v: float) -> float | int:
    v = round(v, 4)
    return int(v) if float(v).is_integer() else v


def parse_numeral(s: str) -> tuple[float | None, bool]:
    """(value, approximate) of an Arabic, Chinese or mixed numeral; value None when it cannot be
    read for certain. `approximate` is set by 余/多 (500余万 → at least 5,000,000)."""
    approx = "余" in s or "多" in s
    s = s.replace("余", "").replace("多", "")
    tokens = re.findall(rf"\d+(?:[,，]\d+)*(?:\.\d+)?|[{CN}]", s)
    if "".join(tokens) != s or not tokens:
        return None, approx
    result = 0.0
    section = 0.0
    current: float | None = None
    prev_unit = 0
    after_zero = False
    for tok in tokens:
        if tok[0].isdigit():
            if current is not None:
                return None, approx
            if "," in tok or "，" in tok:
                if "，" in tok or not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", tok):
                    return None, approx
                tok = tok.replace(",", "")
            current = float(tok)
        elif tok in CN_DIGITS:
            if tok in "零〇":
                after_zero = True
                continue
            if current is not None:
                return None, approx  # 一二万 (colloquial 1–2万): not one number
            current = float(CN_DIGITS[tok])
        elif tok in SMALL_UNITS:
            unit = SMALL_UNITS[tok]
            if current is None and unit != 10:
                return None, approx  # 千万 with no digit: vague
            section += (current if current is not None else 1) * unit
            current = None
            prev_unit = unit
            after_zero = False
        elif tok in LARGE_UNITS:
            if current is None and section == 0 and result == 0:
                return None, approx
            unit = LARGE_UNITS[tok]
            if unit == 10_000:
                section = (section + (current or 0)) * unit
            else:
                result = (result + section + (current or 0)) * unit
                section = 0
            current = None
            prev_unit = unit
            after_zero = False
    if current is not None and prev_unit >= 100 and not after_zero:
        return None, approx  # 三万五 / 1万5 (= 3.5万 in speech): not read as 30,005
    return result + section + (current or 0), approx


def _per(prefix: str, suffix: str | None) -> str | None:
    if suffix:
        return suffix.lstrip("/")
    units = _PER_PREFIX.findall(prefix)
    return "/".join(units) if units else None


def extract_money(text: str) -> list[Amount]:
    out: list[Amount] = []
    for m in MONEY.finditer(text):
        a_raw, b_raw = m.group("a"), m.group("b")
        if not _HAS_DIGIT.search(a_raw) or (b_raw is not None and not _HAS_DIGIT.search(b_raw)):
            continue
        if m.start() > 0 and text[m.start() - 1] in _VAGUE_BEFORE:
            continue
        # A Chinese-only numeral without a unit ("二元结构", "一元化") is a word, not money.
        if not re.search(r"\d", a_raw) and b_raw is None and not re.search(r"[十拾百佰千仟万萬亿億]", a_raw):
            continue
        pm = PREFIX.search(text, max(0, m.start() - 10), m.start())
        a = m.start() - len(pm.group(1)) if pm else m.start()
        window = text[max(0, m.start() - 14) : m.start()]
        window = re.split(r"[，。；、：\n]", window)[-1]
        after = text[m.end() : m.end() + 4]
        amount = Amount(text[a : m.end()], a, m.end(), None)
        amount.per = _per(window, m.group("per"))
        if b_raw is None:
            value, approx = parse_numeral(a_raw)
            if value is None:
                amount.unsure = True
            else:
                amount.yuan = _tidy(value)
            if approx:
                amount.bound = "min"
        else:
            amount = _range(amount, a_raw, b_raw, bool(m.group("aunit")))
        if not amount.bound:
            if _MAX_WORDS.search(window) or _MAX_AFTER.match(after):
                amount.bound = "max"
            elif _MIN_WORDS.search(window) or _MIN_AFTER.match(after):
                amount.bound = "min"
        out.append(amount)
    return out


def _trailing_unit(raw: str) -> float:
    """The unit a range's upper end gives its lower end: '3万' → 10,000; '3千万' → 10,000,000;
    '十万' → 10,000 (十 is the number there); '300' → 1."""
    m = re.search(r"([0-9一二两三四五六七八九壹贰叁肆伍陆柒捌玖])([千仟百佰]?[万萬亿億]*)$", raw)
    if not m or not m.group(2):
        m = re.search(r"([万萬亿億]+)$", raw)
        units = m.group(1) if m else ""
    else:
        units = m.group(2)
    value = 1.0
    for ch in units:
        value *= SMALL_UNITS.get(ch) or LARGE_UNITS[ch]
    return value


def _range(amount: Amount, a_raw: str, b_raw: str, a_has_yuan: bool) -> Amount:
    high, approx_b = parse_numeral(b_raw)
    low, approx_a = parse_numeral(a_raw)
    if high is None or low is None:
        amount.unsure = True
        return amount
    factor = _trailing_unit(b_raw)
    has_unit = re.search(rf"[{''.join(SMALL_UNITS)}{''.join(LARGE_UNITS)}]", a_raw)
    if not a_has_yuan and not has_unit and factor > 1:
        if low * factor > high:
            amount.unsure = True  # 3-1万元: which unit is 3 in?
            return amount
        low *= factor
    if low > high:
        amount.unsure = True
        return amount
    amount.low, amount.high, amount.yuan = _tidy(low), _tidy(high), _tidy(high)
    if approx_a or approx_b:
        amount.unsure = True
    return amount
