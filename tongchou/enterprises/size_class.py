"""Enterprise size class per 统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号). Pure: no Django.

The standard's table gives, per industry row, lower bounds for large, medium and small on one or two
of: employees (从业人员 X, persons), revenue (营业收入 Y, 万元), total assets (资产总额 Z, 万元).
"大型、中型和小型企业须同时满足所列指标的下限，否则下划一档；微型企业只须满足所列指标中的一项即可。"
So a firm is large if it meets every large lower bound, else medium if it meets every medium bound,
else small likewise, else micro.

Scope: 15 sections (A B C D E F G H I K L M N O R) and division Q85 社会工作. Finance (J) has its own
standard; education (P), health (Q84), public administration (S) and international organisations (T)
are out of scope: classifying them raises ``SizeClassError`` rather than guessing.

>>> classify("C3562", employees=350, revenue_wan=2500).size_class
'medium'
>>> classify("F52", employees=9, revenue_wan=50000).size_class
'micro'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from tongchou.core.errors import ValidationFailed  # pure module: no Django import


class SizeClassError(ValidationFailed):
    """A needed input is missing, or the industry code is unknown / out of the standard's scope."""

    code = "size_class_input"


SIZE_CLASSES = ("large", "medium", "small", "micro")
SIZE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
INDICATOR_LABELS = {
    "employees": "从业人员（人）",
    "revenue_wan": "营业收入（万元）",
    "assets_wan": "资产总额（万元）",
}


@dataclass(frozen=True)
class Row:
    """One row of the standard's table: lower bounds for large, medium, small per indicator."""

    key: str
    name: str
    bounds: dict[str, tuple[int, int, int]]  # indicator -> (large, medium, small) lower bounds

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(self.bounds)


ROWS: dict[str, Row] = {
    r.key: r
    for r in [
        Row("agriculture", "农、林、牧、渔业", {"revenue_wan": (20000, 500, 50)}),
        Row("industry", "工业", {"employees": (1000, 300, 20), "revenue_wan": (40000, 2000, 300)}),
        Row("construction", "建筑业", {"revenue_wan": (80000, 6000, 300), "assets_wan": (80000, 5000, 300)}),
        Row("wholesale", "批发业", {"employees": (200, 20, 5), "revenue_wan": (40000, 5000, 1000)}),
        Row("retail", "零售业", {"employees": (300, 50, 10), "revenue_wan": (20000, 500, 100)}),
        Row("transport", "交通运输业", {"employees": (1000, 300, 20), "revenue_wan": (30000, 3000, 200)}),
        Row("warehousing", "仓储业", {"employees": (200, 100, 20), "revenue_wan": (30000, 1000, 100)}),
        Row("postal", "邮政业", {"employees": (1000, 300, 20), "revenue_wan": (30000, 2000, 100)}),
        Row("accommodation", "住宿业", {"employees": (300, 100, 10), "revenue_wan": (10000, 2000, 100)}),
        Row("catering", "餐饮业", {"employees": (300, 100, 10), "revenue_wan": (10000, 2000, 100)}),
        Row(
            "information_transmission",
            "信息传输业",
            {"employees": (2000, 100, 10), "revenue_wan": (100000, 1000, 100)},
        ),
        Row(
            "software",
            "软件和信息技术服务业",
            {"employees": (300, 100, 10), "revenue_wan": (10000, 1000, 50)},
        ),
        Row(
            "real_estate_development",
            "房地产开发经营",
            {"revenue_wan": (200000, 1000, 100), "assets_wan": (10000, 5000, 2000)},
        ),
        Row(
            "property_management",
            "物业管理",
            {"employees": (1000, 300, 100), "revenue_wan": (5000, 1000, 500)},
        ),
        Row(
            "leasing_business",
            "租赁和商务服务业",
            {"employees": (300, 100, 10), "assets_wan": (120000, 8000, 100)},
        ),
        Row("other", "其他未列明行业", {"employees": (300, 100, 10)}),
    ]
}

SECTION_OF_DIVISION: dict[int, str] = {}
for _section, _lo, _hi in [
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52), ("G", 53, 60),
    ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72), ("M", 73, 75), ("N", 76, 79),
    ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90), ("S", 91, 96), ("T", 97, 97),
]:  # fmt: skip
    for _d in range(_lo, _hi + 1):
        SECTION_OF_DIVISION[_d] = _section

OUT_OF_SCOPE = {
    "J": "金融业适用《金融业企业划型标准规定》，不在统计上大中小微型企业划分办法范围内",
    "P": "教育不在统计上大中小微型企业划分办法（2017）的适用行业范围内",
    "Q84": "卫生不在统计上大中小微型企业划分办法（2017）的适用行业范围内（仅社会工作 Q85 适用）",
    "S": "公共管理、社会保障和社会组织不在统计上大中小微型企业划分办法的适用范围内",
    "T": "国际组织不在统计上大中小微型企业划分办法的适用范围内",
}


@dataclass(frozen=True)
class SizeResult:
    size_class: str
    row: str  # the standard's row name in Chinese
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"size_class": self.size_class, "row": self.row, "reason": self.reason}


def parse_industry_code(code: str) -> tuple[str, str]:
    """Split "C3562", "c35", "3562", " F52 " into (section letter, digits). Raises SizeClassError."""
    raw = (code or "").strip().upper()
    if not raw:
        raise SizeClassError(
            "缺少行业代码（国民经济行业分类 GB/T 4754-2017，如 C3562）", detail={"field": "industry"}
        )
    letter = raw[0] if raw[0].isalpha() else ""
    digits = raw[1:] if letter else raw
    if not digits.isdigit() and digits != "":
        raise SizeClassError(
            f"行业代码“{code}”格式不正确，应为门类字母加2-4位数字，如 C3562", detail={"field": "industry"}
        )
    if digits and len(digits) not in (2, 3, 4):
        raise SizeClassError(f"行业代码“{code}”的数字部分应为2-4位", detail={"field": "industry"})
    if digits:
        section = SECTION_OF_DIVISION.get(int(digits[:2]))
        if section is None:
            raise SizeClassError(
                f"行业代码“{code}”中的大类 {digits[:2]} 不存在（应为 01-97）", detail={"field": "industry"}
            )
        if letter and letter != section:
            raise SizeClassError(
                f"行业代码“{code}”的门类字母与大类不符：大类 {digits[:2]} 属于门类 {section}",
                detail={"field": "industry"},
            )
        return section, digits
    if letter not in set(SECTION_OF_DIVISION.values()):
        raise SizeClassError(f"行业门类“{letter}”不存在（应为 A-T）", detail={"field": "industry"})
    return letter, ""


def row_for_industry(code: str) -> Row:
    """The standard's row for an industry code; raises SizeClassError when the code is too coarse."""
    return _row_for_industry(code)


@lru_cache(maxsize=4096)
def _row_for_industry(code: str) -> Row:
    section, digits = parse_industry_code(code)
    division = int(digits[:2]) if digits else None
    if section in OUT_OF_SCOPE:
        raise SizeClassError(OUT_OF_SCOPE[section], detail={"field": "industry"})
    if section == "Q":
        if division is None:
            raise SizeClassError(
                "卫生和社会工作门类需细化到大类（Q84 卫生不适用，Q85 社会工作适用）",
                detail={"field": "industry"},
            )
        if division == 84:
            raise SizeClassError(OUT_OF_SCOPE["Q84"], detail={"field": "industry"})
        return ROWS["other"]
    simple = {"A": "agriculture", "B": "industry", "C": "industry", "D": "industry", "E": "construction"}
    if section in simple:
        return ROWS[simple[section]]
    if section in ("L",):
        return ROWS["leasing_business"]
    if section in ("M", "N", "O", "R"):
        return ROWS["other"]
    need_more = {
        "F": "批发和零售业需细化到大类：F51 批发业、F52 零售业",
        "G": "交通运输、仓储和邮政业需细化到大类（如 G54 道路运输业、G59 仓储业、G60 邮政业）",
        "H": "住宿和餐饮业需细化到大类：H61 住宿业、H62 餐饮业",
        "I": "信息传输、软件和信息技术服务业需细化到大类（I63/I64 信息传输业、I65 软件和信息技术服务业）",
        "K": "房地产业需细化到中类：K701 房地产开发经营、K702 物业管理、K703-K709 其他",
    }
    if division is None:
        raise SizeClassError(need_more[section], detail={"field": "industry"})
    if section == "F":
        return ROWS["wholesale" if division == 51 else "retail"]
    if section == "G":
        if division == 60:
            return ROWS["postal"]
        if division == 59:
            if len(digits) < 3:
                raise SizeClassError(
                    "G59 装卸搬运和仓储业需细化到中类：G591 装卸搬运属交通运输业，G592-G599 属仓储业",
                    detail={"field": "industry"},
                )
            return ROWS["transport" if digits[:3] == "591" else "warehousing"]
        return ROWS["transport"]
    if section == "H":
        return ROWS["accommodation" if division == 61 else "catering"]
    if section == "I":
        return ROWS["software" if division == 65 else "information_transmission"]
    if section == "K":
        if len(digits) < 3:
            raise SizeClassError(need_more["K"], detail={"field": "industry"})
        group = digits[:3]
        if group == "701":
            return ROWS["real_estate_development"]
        if group == "702":
            return ROWS["property_management"]
        return ROWS["other"]
    raise SizeClassError(
        f"行业代码“{code}”无法对应划分标准的行业", detail={"field": "industry"}
    )  # pragma: no cover


def _num(value: object, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal) and value.is_finite() and value >= 0:
        return value
    try:
        d = Decimal(str(value))
    except ArithmeticError as exc:
        raise SizeClassError(f"{INDICATOR_LABELS[field]}“{value}”不是数字", detail={"field": field}) from exc
    if not d.is_finite():
        raise SizeClassError(f"{INDICATOR_LABELS[field]}“{value}”不是有限数字", detail={"field": field})
    if d < 0:
        raise SizeClassError(f"{INDICATOR_LABELS[field]}不能为负数：{value}", detail={"field": field})
    return d


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(d)


def classify(
    industry_code: str,
    employees: int | float | Decimal | str | None = None,
    revenue_wan: int | float | Decimal | str | None = None,
    assets_wan: int | float | Decimal | str | None = None,
) -> SizeResult:
    """Size class of one enterprise. Raises SizeClassError naming any input the row needs but lacks."""
    row = row_for_industry(industry_code)
    values = {
        "employees": _num(employees, "employees"),
        "revenue_wan": _num(revenue_wan, "revenue_wan"),
        "assets_wan": _num(assets_wan, "assets_wan"),
    }
    missing = [f for f in row.indicators if values[f] is None]
    if missing:
        names = "、".join(INDICATOR_LABELS[f] for f in missing)
        raise SizeClassError(
            f"“{row.name}”按{('与'.join(INDICATOR_LABELS[f] for f in row.indicators))}划型，缺少{names}",
            detail={"fields": missing, "row": row.name},
        )
    have = "，".join(f"{INDICATOR_LABELS[f]} {_fmt(values[f])}" for f in row.indicators)  # type: ignore[arg-type]
    for idx, size in enumerate(("large", "medium", "small")):
        if all(values[f] >= row.bounds[f][idx] for f in row.indicators):  # type: ignore[operator]
            bounds = "，".join(f"{INDICATOR_LABELS[f]}≥{row.bounds[f][idx]}" for f in row.indicators)
            return SizeResult(
                size, row.name, f"{row.name}：{have}；满足{SIZE_LABELS[size]}企业下限（{bounds}）"
            )
    below = [f for f in row.indicators if values[f] < row.bounds[f][2]]  # type: ignore[operator]
    why = "，".join(f"{INDICATOR_LABELS[f]}<{row.bounds[f][2]}" for f in below)
    return SizeResult("micro", row.name, f"{row.name}：{have}；未达小型企业下限（{why}），为微型企业")


def size_class_or_blank(
    industry_code: str,
    employees: Decimal | int | None,
    revenue_wan: Decimal | int | None,
    assets_wan: Decimal | int | None,
) -> str:
    """The bare class for bulk work (imports): same table as :func:`classify`, no reason text;
    '' when the code is out of scope or a needed input is missing — never a guess."""
    try:
        row = _row_for_industry(industry_code)
    except SizeClassError:
        return ""
    values = {"employees": employees, "revenue_wan": revenue_wan, "assets_wan": assets_wan}
    needed = [v for v in (values[f] for f in row.indicators) if v is not None]
    if len(needed) < len(row.indicators):
        return ""
    bounds = [row.bounds[f] for f in row.indicators]
    for idx, size in enumerate(("large", "medium", "small")):
        if all(v >= b[idx] for v, b in zip(needed, bounds, strict=True)):
            return size
    return "micro"


# --- the size class as a derived fact (see tongchou.facts.catalogue: size_class) -----------------
_INDICATORS = ("employees", "revenue_wan", "assets_wan")


def classify_facts(facts: dict) -> str | None:
    """The size class of one enterprise's facts (the tracer); None when it cannot be decided."""
    code = facts.get("industry_code")
    if not code:
        return None
    try:
        result = classify(
            code,
            employees=facts.get("employees"),
            revenue_wan=facts.get("revenue_wan"),
            assets_wan=facts.get("assets_wan"),
        )
    except Exception:  # missing inputs, out-of-scope industries, bad numbers: not decided
        return None
    return str(result.size_class)


def classify_frame(df):
    """The same classification as :func:`classify` row by row, as one polars expression over a
    facts frame (``industry_code`` + the indicators): the standard's row is looked up once per
    distinct industry code and joined. Rows with a missing, negative or non-finite indicator the
    row uses, or an industry the standard does not cover, get None. None when the frame has no
    ``industry_code`` column."""
    import polars as pl

    if "industry_code" not in df.columns:
        return None
    codes = df.get_column("industry_code").drop_nulls().unique().to_list()
    table: dict[str, list] = {"industry_code": [], "_known": []}
    for f in _INDICATORS:
        for lvl in range(3):
            table[f"_{f}_{lvl}"] = []
    for code in codes:
        try:
            row = row_for_industry(code)
            bounds = {f: tuple(float(b) for b in row.bounds[f]) for f in row.indicators}
        except SizeClassError:
            bounds = None
        table["industry_code"].append(code)
        table["_known"].append(bounds is not None)
        for f in _INDICATORS:
            for lvl in range(3):
                table[f"_{f}_{lvl}"].append(bounds[f][lvl] if bounds and f in bounds else None)
    bounds_frame = pl.DataFrame(
        table,
        schema={"industry_code": df.schema["industry_code"], "_known": pl.Boolean}
        | {f"_{f}_{lvl}": pl.Float64 for f in _INDICATORS for lvl in range(3)},
    )
    joined = df.select(
        "industry_code",
        *[
            pl.col(f).cast(pl.Float64) if f in df.columns else pl.lit(None, pl.Float64).alias(f)
            for f in _INDICATORS
        ],
    ).join(bounds_frame, on="industry_code", how="left", maintain_order="left")

    def used(f: str) -> pl.Expr:
        return pl.col(f"_{f}_0").is_not_null()

    valid = pl.col("_known").fill_null(False)
    for f in _INDICATORS:
        ok = pl.col(f).is_not_null() & pl.col(f).is_finite() & (pl.col(f) >= 0)
        valid = valid & (~used(f) | ok)

    def meets(lvl: int) -> pl.Expr:
        cond = pl.lit(True)
        for f in _INDICATORS:
            cond = cond & (~used(f) | (pl.col(f) >= pl.col(f"_{f}_{lvl}")))
        return cond

    size = (
        pl.when(~valid)
        .then(pl.lit(None, dtype=pl.String))
        .when(meets(0))
        .then(pl.lit("large"))
        .when(meets(1))
        .then(pl.lit("medium"))
        .when(meets(2))
        .then(pl.lit("small"))
        .otherwise(pl.lit("micro"))
    )
    return joined.select(size.alias("size_class")).get_column("size_class")
