"""The columns of the enterprise import template (Chinese headers, English keys). Pure: no Django.

The generator writes these columns, the importer reads them (under either name), the exporter writes
them back: one list keeps the three in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Chinese header of the template; units in full-width parentheses
    type: str  # text | int | decimal | date | bool | kind
    required: bool = False
    note: str = ""


REGISTRY_COLUMNS: tuple[Column, ...] = (
    Column("uscc", "统一社会信用代码", "text", True, "18位，GB 32100-2015"),
    Column("name", "名称", "text", True, "营业执照上的名称"),
    Column(
        "kind", "主体类型", "kind", False, "企业/个体工商户/农民专业合作社/其他；留空按信用代码第1-2位判断"
    ),
    Column("region_code", "所在区域代码", "text", True, "县级6位或镇街9位区划代码，如 370306 或 370306001"),
    Column("industry_code", "行业代码", "text", True, "GB/T 4754-2017，如 C3562、F52、K7010"),
    Column("employees", "从业人员（人）", "int"),
    Column("revenue_wan", "营业收入（万元）", "decimal", False, "上年营业收入，单位万元"),
    Column("assets_wan", "资产总额（万元）", "decimal", False, "上年末资产总额，单位万元"),
    Column("registered_on", "成立日期", "date", False, "如 2018-05-20"),
    Column("above_designated_size", "规模以上", "bool", False, "是/否"),
    Column("foreign_invested", "外商投资", "bool", False, "是/否"),
    Column("exporter", "出口企业", "bool", False, "是/否"),
    Column("high_tech", "高新技术企业", "bool", False, "是/否"),
    Column("legal_representative", "法定代表人", "text"),
    Column("contact_phone", "联系电话", "text", False, "个人信息，列表中脱敏显示"),
)

# Facts the rules engine reads that the generator fills (an import takes any fact of the facts registry).
GENERATED_FACT_COLUMNS: tuple[Column, ...] = (
    Column("insured_employees", "参保职工人数", "int"),
    Column("insured_employees_prev_year_end", "上年末参保职工人数", "int"),
    Column("unemployment_insurance_paid_prev_year", "上年度实际缴纳失业保险费（元）", "decimal"),
    Column("employer_social_insurance_monthly", "单位社保月缴费（元/月）", "decimal"),
    Column("state_owned_rent_monthly", "承租国有企业经营性房产月租金（元/月）", "decimal"),
    Column("epidemic_equipment_investment", "扩大防疫物资生产技改设备投资额（元）", "decimal"),
    Column("equipment_purchase", "设备（软件）购置投资额（元）", "decimal"),
    Column("is_hr_agency", "经营性人力资源服务机构", "bool"),
    Column("job_placements", "经审核的职业介绍人数", "int"),
    Column("incubator_level", "创业孵化示范基地级别", "text", False, "none/city/provincial"),
    Column("tenant_rent_waived", "为入驻企业减免租金总额（元）", "decimal"),
)

REGISTRY_KEYS = tuple(c.key for c in REGISTRY_COLUMNS)
COLUMNS_BY_KEY = {c.key: c for c in (*REGISTRY_COLUMNS, *GENERATED_FACT_COLUMNS)}
KIND_LABELS = {
    "enterprise": "企业",
    "sole_proprietor": "个体工商户",
    "cooperative": "农民专业合作社",
    "other": "其他",
}
