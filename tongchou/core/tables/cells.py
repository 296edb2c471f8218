"""Messy cell values → typed values (pure). Each raises CellError with a Chinese reason."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import CellError

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\uff0d": "-"})
TRUE_WORDS = frozenset({"是", "true", "t", "1", "1.0", "yes", "y", "对", "有", "√", "✓", "✔", "是的"})
FALSE_WORDS = frozenset(
    {"否", "false", "f", "0", "0.0", "no", "n", "错", "无", "×", "✗", "✘", "不是", "没有"}
)
EMPTY_WORDS = frozenset({"", "-", "--", "—", "——", "/", "无数据", "n/a", "na", "null", "none"})


def clean_text(value: Any) -> str:
    """A cell as tidy text: full-width letters, digits and punctuation to half-width (NFKC),
    invisible characters removed, surrounding spaces stripped; whole floats without ``.0``."""
    if value.__class__ is str:  # the common case first: millions of cells per import
        if value.isascii():
            return value.strip()
        return unicodedata.normalize("NFKC", value.translate(_INVISIBLE)).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = value if isinstance(value, str) else str(value)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s.translate(_INVISIBLE))
    return s.strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# money units in yuan; any unit may also be written with a 万 / 亿 in front of it
_MONEY = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
_MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000), "百": Decimal(100)}
# unit words a number may carry in a column that declares no unit: read as written
UNIT_WORDS = frozenset(
    {
        "元",
        "万元",
        "亿元",
        "美元",
        "人",
        "户",
        "个",
        "家",
        "次",
        "台",
        "套",
        "吨",
        "亩",
        "平方米",
        "元/月",
        "千瓦时",
    }
)
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(.*)$")


def to_number(value: Any, *, unit: str = "", scale: Decimal | int = 1) -> Decimal | None:
    """A number, or None for an empty cell. ``unit`` is the column's declared unit: a cell (or a
    header, through ``scale``) in 万元 where the column is in 元 is converted (1.5万元 → 15000),
    and the other way round; ``%`` divides by 100; a unit that does not fit the column is an
    error. Thousands separators, full-width digits and stray spaces are accepted."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("应为数字，不是是/否")
    if isinstance(value, int):
        return Decimal(value) * scale if scale != 1 else Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("不是有效的数字")
        d = Decimal(repr(value))
        return d * scale if scale != 1 else d
    if isinstance(value, Decimal):
        return value * scale if scale != 1 else value
    raw = clean_text(value)
    s = raw.translate(_MINUS).replace(",", "").replace("_", "").replace(" ", "")
    if s.lower() in EMPTY_WORDS:
        return None
    m = _NUMBER.match(s)
    if not m:
        raise CellError(f"“{raw}”不是数字")
    try:
        d = Decimal(m[1])
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise CellError(f"“{raw}”不是数字") from None
    suffix = m[2]
    if suffix:
        d = d * _unit_factor(suffix, unit, raw)
    elif scale != 1:
        d = d * Decimal(scale)
    if not d.is_finite() or abs(d) >= Decimal("1e18"):
        raise CellError(f"“{raw}”数值过大")
    return d


def _unit_factor(suffix: str, unit: str, raw: str) -> Decimal:
    if suffix == "%":
        return Decimal("0.01")
    if suffix == unit:
        return Decimal(1)
    if unit in _MONEY:
        if suffix in _MONEY:
            return _MONEY[suffix] / _MONEY[unit]
        if suffix in _MULTIPLIER:  # 1.5万 in a 元 column
            return _MULTIPLIER[suffix] / _MONEY[unit]
    if suffix[:1] in _MULTIPLIER and suffix[1:] in ("", unit):  # 1.2万人 in a 人 column
        return _MULTIPLIER[suffix[:1]]
    if not unit and suffix in _MULTIPLIER:
        return _MULTIPLIER[suffix]
    if not unit and suffix in UNIT_WORDS:
        return Decimal(1)
    if unit:
        raise CellError(f"“{raw}”的单位与本列单位“{unit}”不符")
    raise CellError(f"“{raw}”不是数字")


def to_int(value: Any, *, unit: str = "", scale: Decimal | int = 1, negative: bool = False) -> int | None:
    d = to_number(value, unit=unit, scale=scale)
    if d is None:
        return None
    if d != d.to_integral_value():
        raise CellError(f"“{clean_text(value)}”应为整数")
    if d < 0 and not negative:
        raise CellError("不能为负数")
    return int(d)


def to_bool(value: Any) -> bool | None:
    """是/否, true/false, 1/0, 对/错, 有/无, √/× (any case, full-width too); None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    s = clean_text(value).lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    if s in EMPTY_WORDS:
        return None
    raise CellError(f"“{clean_text(value)}”应为 是/否（也可写 true/false、1/0、对/错）")


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def to_date(value: Any) -> dt.date | None:
    """2020-04-01, 2020/4/1, 2020.4.1, 2020年4月1日, 20200401, a date/datetime cell, an Excel
    serial number; a time after the date is ignored. None when empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 29991231 and float(value).is_integer():
            value = str(int(value))
        elif 1 <= value < 100_000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        else:
            raise CellError(f"“{clean_text(value)}”不是日期（应如 2020-04-01）")
    raw = clean_text(value)
    if raw.lower() in EMPTY_WORDS:
        return None
    s = raw.split()[0] if re.search(r"\s\d{1,2}:\d{2}", raw) else raw
    if re.match(r"^\d{4}-\d{2}-\d{2}T", s):
        s = s[:10]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError(f"“{raw}”不是有效日期") from None
    raise CellError(f"“{raw}”不是日期（应如 2020-04-01 或 2020年4月1日）")


def to_text(value: Any, *, max_length: int | None = None) -> str | None:
    s = clean_text(value)
    if not s:
        return None
    if max_length is not None and len(s) > max_length:
        raise CellError(f"长度超过{max_length}个字符")
    return s


def to_choice(value: Any, choices: Sequence[tuple[str, str]]) -> str | None:
    """The stored value of a choice written as its value or its Chinese label."""
    s = clean_text(value)
    if not s:
        return None
    for stored, label in choices:
        if s == stored or s == label or s.lower() == stored.lower():
            return stored
    raise CellError(f"“{s}”不是可选值（{'、'.join(label or stored for stored, label in choices)}）")
