"""Synthetic market entities for demos and benchmarks. Vectorised (numpy + polars); no Django.

Realism, roughly after Shandong's registry structure: about two thirds of market entities are sole
proprietors (个体工商户) in retail, catering and household services; most enterprises are micro or
small; each district leans to its own industries (周村 textiles and trade, 临淄 chemicals, 博山
ceramics and pumps, 桓台 paper, 高青/沂源 agriculture and pharmaceuticals …). Every USCC is valid
(both check characters) and its region part is the county that registered the entity. The same
``seed`` gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from tongchou.enterprises import refdata
from tongchou.enterprises.template import COLUMNS_BY_KEY, GENERATED_FACT_COLUMNS, REGISTRY_COLUMNS
from tongchou.enterprises.uscc import ALPHABET, ORG_WEIGHTS, WEIGHTS

# industry code -> (base weight among enterprises, weight among sole proprietors, revenue per employee 万元)
INDUSTRY_MIX: dict[str, tuple[float, float, float]] = {
    "A01": (2.0, 4.0, 8),
    "A03": (1.0, 2.0, 15),
    "C13": (1.5, 0.2, 80),
    "C14": (1.2, 0.5, 60),
    "C17": (2.0, 0.3, 45),
    "C18": (1.5, 0.5, 25),
    "C22": (0.6, 0.0, 90),
    "C26": (1.5, 0.0, 150),
    "C27": (0.6, 0.0, 120),
    "C29": (1.5, 0.1, 50),
    "C30": (2.0, 0.2, 40),
    "C33": (2.0, 0.3, 40),
    "C34": (2.0, 0.1, 50),
    "C35": (1.5, 0.0, 55),
    "C38": (1.0, 0.0, 70),
    "C39": (0.6, 0.0, 80),
    "D44": (0.2, 0.0, 300),
    "E47": (1.5, 0.1, 60),
    "E48": (0.8, 0.0, 70),
    "E50": (1.5, 0.8, 30),
    "F51": (10.0, 6.0, 120),
    "F52": (8.0, 35.0, 40),
    "G54": (3.0, 6.0, 25),
    "G58": (0.8, 0.2, 60),
    "G5920": (0.6, 0.1, 30),
    "G60": (0.2, 0.1, 20),
    "H61": (1.0, 2.0, 12),
    "H62": (3.0, 18.0, 12),
    "I64": (0.8, 0.3, 40),
    "I65": (3.0, 0.3, 30),
    "K7010": (1.0, 0.0, 400),
    "K7020": (0.8, 0.0, 8),
    "K7030": (0.6, 0.5, 10),
    "L71": (1.0, 0.3, 30),
    "L72": (8.0, 2.0, 20),
    "M74": (3.0, 0.2, 20),
    "M75": (3.0, 0.2, 15),
    "N78": (0.4, 0.0, 15),
    "O80": (1.5, 12.0, 8),
    "O81": (1.0, 6.0, 10),
    "O82": (1.0, 3.0, 8),
    "P83": (0.5, 0.5, 10),
    "Q84": (0.3, 0.5, 15),
    "R88": (0.5, 0.5, 10),
    "R90": (0.5, 1.0, 10),
}
# district leanings: county code -> multipliers on the base weights
DISTRICT_LEANING: dict[str, dict[str, float]] = {
    "370302": {"C30": 3.0, "C17": 1.5, "B": 1.0},  # 淄川: building materials, textiles
    "370303": {"I65": 2.5, "L72": 1.8, "M74": 1.8, "F51": 1.5, "K7010": 1.5},  # 张店: services
    "370304": {"C30": 3.0, "C34": 3.0},  # 博山: ceramics, pumps
    "370305": {"C26": 4.0, "C29": 2.0},  # 临淄: chemicals
    "370306": {"C17": 3.0, "C18": 3.0, "F51": 1.8, "F52": 1.3},  # 周村: textiles, trade
    "370321": {"C22": 5.0, "C26": 2.0},  # 桓台: paper, chemicals
    "370322": {"A01": 4.0, "A03": 3.0, "C13": 2.0},  # 高青: agriculture
    "370323": {"C27": 5.0, "A01": 3.0, "C14": 2.0},  # 沂源: pharma, fruit
}

TRADE_CHARS = list(
    "鑫华泰盛宏达恒兴隆丰瑞祥福顺安康永昌源金鼎鲁齐博润嘉信诚和利聚宝新远航宇明辉凯星海峰东方汇通中圣"
)
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志斌玉兰海燕鹏飞")
INDUSTRY_WORD = {
    "A": "农业",
    "B": "矿业",
    "C": "制造",
    "C13": "食品",
    "C14": "食品",
    "C17": "纺织",
    "C18": "服饰",
    "C22": "纸业",
    "C26": "化工",
    "C27": "制药",
    "C29": "塑胶",
    "C30": "陶瓷",
    "C33": "金属制品",
    "C34": "机械",
    "C35": "装备",
    "C38": "电气",
    "C39": "电子",
    "A03": "牧业",
    "E47": "建筑",
    "D": "能源",
    "E": "建设工程",
    "F51": "商贸",
    "F52": "商店",
    "G": "物流",
    "H61": "宾馆",
    "H62": "餐饮",
    "I": "信息科技",
    "K": "置业",
    "K7020": "物业服务",
    "L": "商务服务",
    "M": "科技",
    "N": "环境工程",
    "O": "生活服务",
    "P": "教育咨询",
    "Q": "健康管理",
    "R": "文化传媒",
}
SOLE_WORD = {
    "A": "种植园",
    "F51": "批发部",
    "F52": "便利店",
    "G": "运输队",
    "H61": "旅馆",
    "H62": "饭店",
    "O": "理发店",
    "O81": "维修部",
    "E": "装饰工作室",
    "L": "广告部",
}

EPOCH = dt.date(1970, 1, 1)


def _word(code: str, table: dict[str, str], default: str) -> str:
    for key in (code, code[:3], code[:1]):
        if key in table:
            return table[key]
    return default


def _stable_int(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def target_regions(region_code: str) -> list[dict[str, str]]:
    """Where generated entities live: the towns under ``region_code`` when shipped, else its counties."""
    under = refdata.regions_under(region_code)
    if not under:
        raise ValueError(f"区划代码 {region_code} 不在已载入的区划中")
    towns = [r for r in under if r["level"] == "town"]
    if towns:
        return towns
    counties = [r for r in under if r["level"] == "county"]
    return counties or under


def _gather(values: list[str], idx: np.ndarray) -> pl.Series:
    """Strings by index, built in polars (numpy unicode arrays convert to polars slowly)."""
    return pl.Series(values, dtype=pl.String).gather(pl.Series(idx.astype(np.uint32)))


def generate_frame(count: int, region_code: str, seed: int = 0, *, start_serial: int = 0) -> pl.DataFrame:
    """``count`` synthetic entities in ``region_code``; columns = template keys + generated facts."""
    rng = np.random.default_rng(seed)
    regions = target_regions(region_code)
    n = int(count)
    # --- where: every town (or county) alike
    region_codes = [r["code"] for r in regions]
    counties = sorted({c[:6] for c in region_codes})
    county_of_region = np.array([counties.index(c[:6]) for c in region_codes])
    reg_idx = rng.integers(0, len(regions), n)
    county_idx = county_of_region[reg_idx]

    # --- kind: sole proprietors the majority
    kind_roll = rng.random(n)
    kind_idx = np.where(kind_roll < 0.66, 0, np.where(kind_roll < 0.97, 1, 2))
    is_sole = kind_idx == 0
    is_ent = kind_idx == 1
    is_coop = kind_idx == 2

    # --- industry by kind and district
    codes = list(INDUSTRY_MIX)
    base_ent = np.array([v[0] for v in INDUSTRY_MIX.values()])
    base_sole = np.array([v[1] for v in INDUSTRY_MIX.values()])
    rev_per_emp = np.array([v[2] for v in INDUSTRY_MIX.values()], dtype=float)
    industry_idx = np.empty(n, dtype=np.int64)
    for ci, cty in enumerate(counties):
        lean = DISTRICT_LEANING.get(cty, {})
        jitter = np.random.default_rng(_stable_int(cty)).uniform(0.7, 1.3, len(codes))
        mult = np.array([lean.get(c, lean.get(c[:1], 1.0)) for c in codes]) * jitter
        in_county = county_idx == ci
        for mask, base in ((~is_sole, base_ent), (is_sole, base_sole)):
            sel = np.flatnonzero(in_county & mask)
            if sel.size:
                w = base * mult
                industry_idx[sel] = rng.choice(len(codes), size=sel.size, p=w / w.sum())
    coop_sel = np.flatnonzero(is_coop)  # farmers' cooperatives farm
    industry_idx[coop_sel] = np.where(rng.random(coop_sel.size) < 0.7, 0, 1)
    code_flag = lambda test: np.array([test(c) for c in codes])[industry_idx]  # noqa: E731
    is_sector_ind = code_flag(lambda c: c[0] in "BCD")
    is_c = code_flag(lambda c: c[0] == "C")
    is_cim = code_flag(lambda c: c[0] in "CIM")
    is_l72 = code_flag(lambda c: c.startswith("L72"))

    # --- size: employees lognormal, revenue = employees x per-capita revenue, assets ~ revenue
    emp = np.where(
        is_sole,
        rng.integers(1, 9, n),
        np.maximum(1, np.round(rng.lognormal(mean=2.1, sigma=1.25, size=n))).astype(np.int64),
    )
    emp = np.minimum(emp, 20000)
    per_cap = rev_per_emp[industry_idx] * rng.lognormal(0.0, 0.55, n)
    revenue = np.round(emp * per_cap * np.where(is_sole, 0.35, 1.0), 2)
    assets = np.round(revenue * rng.lognormal(-0.1, 0.7, n), 2)
    above = (~is_sole) & np.where(is_sector_ind, revenue >= 2000, revenue >= 5000)

    # --- dates: 1985-2020, sole proprietors recent-leaning
    start = (dt.date(1985, 1, 1) - EPOCH).days
    end = (dt.date(2020, 12, 31) - EPOCH).days
    span = end - start
    frac = np.where(is_sole, rng.random(n) ** 0.4, rng.random(n) ** 0.8)
    registered_days = (start + frac * span).astype(np.int64)

    # --- USCC: authority 9, entity 1/2/3, region = county (a few enterprises registered by the city)
    entity_digit = np.where(is_sole, 2, np.where(is_coop, 3, 1))
    city_reg = is_ent & (rng.random(n) < 0.05)
    county_bytes = np.frombuffer("".join(counties).encode("ascii"), dtype=np.uint8).reshape(-1, 6)
    city_bytes = county_bytes.copy()
    city_bytes[:, 4:6] = ord("0")
    region_bytes = np.where(city_reg[:, None], city_bytes[county_idx], county_bytes[county_idx])
    serial_base = (_stable_int(f"{region_code}:{seed}") % 500_000_000) + start_serial
    serials = serial_base + np.arange(n, dtype=np.int64)
    uscc = uscc_batch(region_bytes, entity_digit, serials, as_series=True)

    # --- names
    place = {r["code"]: r["name"] for r in refdata.regions()}
    t1 = rng.integers(0, len(TRADE_CHARS), n)
    t2 = rng.integers(0, len(TRADE_CHARS), n)
    surname = rng.integers(0, len(SURNAMES), n)
    given1 = rng.integers(0, len(GIVEN), n)
    given2 = rng.integers(0, len(GIVEN), n)
    two_char_given = rng.random(n) < 0.7

    df = pl.DataFrame(
        {
            "uscc": uscc,
            "_cname": _gather([place.get(c, "") for c in counties], county_idx),
            "_city": _gather([place.get(c[:4] + "00", "淄博")[:2] for c in counties], county_idx),
            "_t1": _gather(TRADE_CHARS, t1),
            "_t2": _gather(TRADE_CHARS, t2),
            "_ent_word": _gather([_word(c, INDUSTRY_WORD, "实业") for c in codes], industry_idx),
            "_sole_word": _gather([_word(c, SOLE_WORD, "经营部") for c in codes], industry_idx),
            "_surname": _gather(SURNAMES, surname),
            "_g1": _gather(GIVEN, given1),
            "_g2": _gather(["", *GIVEN], np.where(two_char_given, given2 + 1, 0)),
            "kind": _gather(["sole_proprietor", "enterprise", "cooperative"], kind_idx),
            "region_code": _gather(region_codes, reg_idx),
            "industry_code": _gather(codes, industry_idx),
            "employees": emp.astype(np.int64),
            "revenue_wan": revenue,
            "assets_wan": assets,
            "registered_on": registered_days.astype("datetime64[D]"),
            "above_designated_size": above,
            "foreign_invested": (~is_sole) & (rng.random(n) < 0.02),
            "exporter": (~is_sole) & is_sector_ind & (rng.random(n) < 0.12),
            "high_tech": is_ent & is_cim & (rng.random(n) < 0.06),
            "_phone": rng.integers(0, 10**8, n),
            "_prefix": _gather(["13", "15", "18", "17"], rng.integers(0, 4, n)),
            "_p3": rng.integers(0, 10, n),
            "_has_phone": rng.random(n) < 0.9,
        }
    )
    trade = pl.concat_str([pl.col("_t1"), pl.col("_t2")])
    name = (
        pl.when(pl.col("kind") == "sole_proprietor")
        .then(pl.concat_str([pl.col("_cname"), trade, pl.col("_sole_word")]))
        .when(pl.col("kind") == "cooperative")
        .then(pl.concat_str([pl.col("_cname"), trade, pl.lit("农业专业合作社")]))
        .otherwise(pl.concat_str([pl.col("_city"), trade, pl.col("_ent_word"), pl.lit("有限公司")]))
    )
    phone = pl.when(pl.col("_has_phone")).then(
        pl.concat_str(
            [pl.col("_prefix"), pl.col("_p3").cast(pl.String), pl.col("_phone").cast(pl.String).str.zfill(8)]
        )
    )
    df = df.with_columns(
        name=name,
        legal_representative=pl.concat_str([pl.col("_surname"), pl.col("_g1"), pl.col("_g2")]),
        contact_phone=phone.otherwise(pl.lit("")),
    )
    df = df.with_columns(_facts(rng, n, emp, is_sole, is_c, is_l72))
    ordered = [c.key for c in REGISTRY_COLUMNS] + [c.key for c in GENERATED_FACT_COLUMNS]
    return df.select(ordered)


def _facts(rng: np.random.Generator, n: int, emp, is_sole, is_c, is_l72) -> list[pl.Series]:
    """The department facts the rules engine reads, with realistic gaps."""
    insured = np.round(emp * rng.uniform(0.4, 1.0, n)).astype(np.int64)
    insured = np.where(is_sole & (rng.random(n) < 0.7), 0, insured)
    prev = np.round(insured * rng.uniform(0.9, 1.25, n)).astype(np.int64)
    known = rng.random(n) < 0.92  # 8% unknown to the social-insurance office
    ui_paid = np.round(prev * rng.uniform(300, 420, n), 2)  # ~0.7% of a 48,000 yuan wage base
    employer_monthly = np.round(insured * rng.uniform(600, 780, n), 2)
    rent = np.round(rng.lognormal(9.2, 0.8, n), 0)
    rents_soe = (rng.random(n) < 0.06) & ~is_sole
    epi = (rng.random(n) < 0.03) & is_c
    epi_amount = np.round(rng.lognormal(14.5, 1.0, n), 0)
    equip = (rng.random(n) < 0.15) & ~is_sole
    equip_amount = np.round(rng.lognormal(13.0, 1.2, n), 0)
    hr = is_l72 & ~is_sole & (rng.random(n) < 0.05)
    placements = rng.integers(5, 400, n)
    incubator_roll = rng.random(n)
    incubator = np.where(
        (~is_sole) & (incubator_roll < 0.001),
        "provincial",
        np.where((~is_sole) & (incubator_roll < 0.004), "city", "none"),
    )
    rent_waived = np.round(rng.lognormal(12.0, 0.8, n), 0)

    def null_where(values, mask, dtype) -> pl.Series:
        return (
            pl.Series(values)
            .cast(dtype)
            .to_frame("v")
            .select(pl.when(pl.Series(mask)).then(pl.col("v")).otherwise(None))
            .to_series()
        )

    return [
        null_where(insured, known, pl.Int64).alias("insured_employees"),
        null_where(prev, known, pl.Int64).alias("insured_employees_prev_year_end"),
        null_where(ui_paid, known & (prev > 0), pl.Float64).alias("unemployment_insurance_paid_prev_year"),
        null_where(employer_monthly, known & (insured > 0), pl.Float64).alias(
            "employer_social_insurance_monthly"
        ),
        null_where(rent, rents_soe, pl.Float64).alias("state_owned_rent_monthly"),
        null_where(epi_amount, epi, pl.Float64).alias("epidemic_equipment_investment"),
        null_where(equip_amount, equip, pl.Float64).alias("equipment_purchase"),
        null_where(hr, ~is_sole, pl.Boolean).alias("is_hr_agency"),  # unknown for sole proprietors
        null_where(placements, hr, pl.Int64).alias("job_placements"),
        null_where(incubator, ~is_sole, pl.String).alias("incubator_level"),
        null_where(rent_waived, incubator != "none", pl.Float64).alias("tenant_rent_waived"),
    ]


def uscc_batch(
    region6: np.ndarray, entity_digit: np.ndarray, serials: np.ndarray, *, as_series: bool = False
):
    """Vectorised :func:`tongchou.enterprises.uscc.make_uscc` for authority 9 ("MA" + 6 serial chars).

    ``region6``: six-digit codes as strings, or an (n, 6) uint8 array of their ASCII digits.
    """
    n = len(serials)
    if region6.dtype.kind in "UO":
        region6 = np.frombuffer("".join(region6.astype(str)).encode("ascii"), dtype=np.uint8).reshape(n, 6)
    alpha_ascii = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
    out = np.empty((n, 18), dtype=np.uint8)
    out[:, 0] = ord("9")
    out[:, 1] = ord("0") + entity_digit.astype(np.uint8)
    out[:, 2:8] = region6
    out[:, 8] = ord("M")
    out[:, 9] = ord("A")
    s = serials.astype(np.int64).copy()
    for pos in range(15, 9, -1):
        out[:, pos] = alpha_ascii[s % 31]
        s //= 31
    # GB 11714: letter values A=10 … Z=35, digits their value
    body = out[:, 8:16].astype(np.int64)
    val = np.where(body <= ord("9"), body - ord("0"), body - ord("A") + 10)
    r = (11 - (val * np.array(ORG_WEIGHTS)).sum(axis=1) % 11) % 11
    out[:, 16] = np.where(r == 10, ord("X"), ord("0") + r).astype(np.uint8)
    # GB 32100 check: values by position in the 31-character alphabet
    lookup = np.full(128, -1, dtype=np.int64)
    lookup[alpha_ascii] = np.arange(31)
    vals = lookup[out[:, :17]]
    c = (31 - (vals * np.array(WEIGHTS)).sum(axis=1) % 31) % 31
    out[:, 17] = alpha_ascii[c]
    if as_series:  # straight from the bytes, no per-row Python strings
        offsets = np.arange(0, 18 * (n + 1), 18, dtype=np.int32)
        arr = pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(out.tobytes()))
        return pl.Series("uscc", arr)
    return out.view("S18").ravel().astype(str)


def write_frame(df: pl.DataFrame, path: Path, *, chinese_headers: bool = False) -> Path:
    """Write to .csv / .parquet / .xlsx by suffix. Chinese headers make the file the import template."""
    path = Path(path)
    out = df
    if chinese_headers:
        out = df.rename({k: COLUMNS_BY_KEY[k].header for k in df.columns if k in COLUMNS_BY_KEY})
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        out.write_csv(path)
    elif suffix == ".parquet":
        out.write_parquet(path)
    elif suffix == ".xlsx":
        _write_xlsx(out, path)
    else:
        raise ValueError(f"不支持的输出格式：{suffix}（应为 .csv、.xlsx 或 .parquet）")
    return path


def _write_xlsx(df: pl.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    from tongchou.core.tables import safe_row

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业名录")
    ws.append(df.columns)
    for row in df.iter_rows():
        ws.append(safe_row(row))
    wb.save(path)
