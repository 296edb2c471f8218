"""Unified Social Credit Code (统一社会信用代码) per GB 32100-2015. Pure: imports no Django.

Layout of the 18 characters::

    9 1 370306 MA3C4XYZ5 K
    │ │ │      │         └ 18: check character (weights below, modulus 31)
    │ │ │      └ 9–17: subject identifier = GB 11714 organisation code (8 body chars + its own check)
    │ │ └ 3–8: administrative division of the registering authority (GB/T 2260)
    │ └ 2: entity type, defined per authority (91 enterprise, 92 sole proprietor, 93 cooperative …)
    └ 1: registration authority (1 机构编制, 5 民政, 9 市场监管 …)

Errors make a code invalid; a region outside the shipped divisions and a failed GB 11714 check are only
warnings (firms registered elsewhere operate here too; old organisation codes were not always valid).

>>> check("91370306MA3C00001X").valid
False
>>> r = check(make_uscc("370306", 1))
>>> (r.valid, r.region_code, r.entity_type)
(True, '370306', '91')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from operator import mul

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997

AUTHORITIES: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商（市场监管）",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

ENTITY_TYPES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

# Enterprise.kind for the market-supervision entity types; everything else is "other".
KIND_BY_ENTITY_TYPE = {"91": "enterprise", "92": "sole_proprietor", "93": "cooperative"}

_CLEAN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}\Z")

KnownRegion = Callable[[str], bool] | Collection[str] | None


@dataclass
class UsccResult:
    code: str
    valid: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    region_code: str | None = None
    entity_type: str | None = None

    @property
    def kind(self) -> str:
        """The Enterprise.kind this code implies (enterprise, sole_proprietor, cooperative, other)."""
        return KIND_BY_ENTITY_TYPE.get(self.entity_type or "", "other")

    @property
    def entity_type_name(self) -> str:
        et = self.entity_type or "  "
        return ENTITY_TYPES.get(et[0], {}).get(et[1], "")

    def as_dict(self) -> dict:
        """The shape of `tongchou uscc` output (exactly these keys)."""
        return asdict(self)


def check_char(first17: str) -> str:
    """The 18th character for 17 characters of the USCC alphabet."""
    total = sum(map(mul, map(VALUE.__getitem__, first17), WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    """GB 11714 check character for the 8 body characters of an organisation code (0-9 or X)."""
    total = sum(map(mul, map(_org_value, body8), ORG_WEIGHTS))
    r = (11 - total % 11) % 11
    return "X" if r == 10 else str(r)


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def normalise(code: str) -> str:
    """Full-width to half-width, spaces and dashes removed, upper case."""
    code = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in code if not ch.isspace() and ch not in "-—").upper()


def _is_known(region: str, known_region: KnownRegion) -> bool:
    if known_region is None:
        return True
    if callable(known_region):
        return bool(known_region(region))
    return region in known_region


def check(code: str, known_region: KnownRegion = None) -> UsccResult:
    """Validate one code. ``known_region`` (a set or a callable) decides which region parts are "ours"."""
    raw = code if isinstance(code, str) else str(code)
    norm = raw if _CLEAN.match(raw) else normalise(raw)
    result = UsccResult(code=norm, valid=False)
    errors, warnings = result.errors, result.warnings
    if norm is not raw and norm != raw.strip():
        warnings.append(f"已规范化输入“{raw.strip()}”为“{norm}”（去除空格、全角转半角、转大写）")
    if not norm:
        errors.append("统一社会信用代码为空")
        return result
    if len(norm) != 18:
        errors.append(f"长度应为18位，实际为{len(norm)}位")
    bad_chars = [(i + 1, ch) for i, ch in enumerate(norm) if ch not in VALUE]
    for pos, ch in bad_chars:
        if ch in "IOZSV":
            errors.append(f"第{pos}位字符“{ch}”不合法：统一社会信用代码不使用字母 I、O、Z、S、V")
        else:
            errors.append(f"第{pos}位字符“{ch}”不合法：只允许数字和大写字母（不含 I、O、Z、S、V）")

    authority = norm[0]
    if authority not in AUTHORITIES:
        if authority in VALUE:
            errors.append(f"第1位登记管理部门代码“{authority}”不存在（应为 1-9、A、N、Y 之一）")
    elif len(norm) >= 2:
        et = norm[1]
        types = ENTITY_TYPES[authority]
        if et not in types:
            allowed = "、".join(f"{k}（{v}）" for k, v in types.items())
            if et in VALUE:
                errors.append(
                    f"第2位机构类别代码“{et}”对登记管理部门“{authority}”（{AUTHORITIES[authority]}）不存在，应为 {allowed}"
                )
        else:
            result.entity_type = authority + et

    if len(norm) >= 8:
        region = norm[2:8]
        if not region.isdigit():
            errors.append(f"第3-8位登记管理机关行政区划码“{region}”应为6位数字")
        else:
            result.region_code = region
            if not _is_known(region, known_region):
                warnings.append(
                    f"第3-8位行政区划码 {region} 不在本系统已载入的区划内（可能为外地登记的主体）"
                )

    if len(norm) == 18 and not bad_chars:
        body, org_check = norm[8:16], norm[16]
        expected = check_char(norm[:17])
        if norm[17] != expected:
            errors.append(f"第18位校验码“{norm[17]}”错误，按 GB 32100 计算应为“{expected}”")
        if body.isalnum() and org_check in "0123456789X":
            if org_check_char(body) != org_check:
                warnings.append(
                    f"第9-17位组织机构代码“{norm[8:17]}”未通过 GB 11714 校验（第17位应为“{org_check_char(body)}”）"
                )
        else:
            warnings.append(f"第17位“{org_check}”不是 GB 11714 校验码可用的字符（应为数字或 X）")

    result.valid = not errors
    return result


def _encode_serial(serial: int, width: int) -> str:
    chars = []
    for _ in range(width):
        serial, r = divmod(serial, 31)
        chars.append(ALPHABET[r])
    if serial:
        raise ValueError(f"序号过大，{width}位无法表示")
    return "".join(reversed(chars))


def make_uscc(
    region_code: str, serial: int, *, authority: str = "9", entity: str = "1", prefix: str = "MA"
) -> str:
    """A valid code for ``region_code`` (6 digits; a 9/12-digit town code uses its county): deterministic in ``serial``, GB 11714 check included.

    The organisation body is ``prefix`` followed by ``serial`` in the 31-character alphabet (new market
    entities since 2015 get "MA…" bodies).
    """
    if region_code.isdigit() and len(region_code) in (9, 12):
        region_code = region_code[:6]  # a town is registered by its county's authority
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValueError(f"行政区划码应为6位数字：{region_code!r}")
    body = prefix + _encode_serial(serial, 8 - len(prefix))
    first17 = authority + entity + region_code + body + org_check_char(body)
    return first17 + check_char(first17)
