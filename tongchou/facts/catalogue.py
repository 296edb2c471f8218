"""The platform's facts about enterprises (moved here from ``rules/facts.py``; names unchanged).

Pure. The names are fixed by issue 4 because departments' data files and other tools use them;
amounts are in yuan unless the name ends in ``_wan`` (10,000 yuan). A fact an enterprise lacks is
missing (SQL NULL), never zero. Derived facts carry their :class:`Derivation`:

* ``layoff_rate`` = max(0, insured_employees_prev_year_end − insured_employees) /
  insured_employees_prev_year_end — an expression, computed inside the engine's query (both
  databases) and by the tracer; a supplied value wins;
* ``size_class`` — the 2017 size-class table (``tongchou.enterprises.size_class``), applied to the
  facts snapshot before matching; rows it cannot classify stay missing.

A module adds its own facts in its app's ``facts.py`` (``FACTS = [Fact(...), …]``), not here.
"""

from __future__ import annotations

from .registry import Derivation, Fact, FactType

N, T, B, E, D = FactType.NUMBER, FactType.TEXT, FactType.BOOL, FactType.ENUM, FactType.DATE
REG = "市场监管局登记（registry）"
HRSS = "区人力资源社会保障局"
TAX = "税务局"
IND = "区工业和信息化局"
COM = "区商务局"
FIN = "区地方金融监管局"
AGR = "区农业农村局"
SASAC = "区国有资产保值增值服务中心"
SELF = "企业自报（经部门核验）"

FACTS: list[Fact] = [
    # --- registry ---------------------------------------------------------------
    Fact("uscc", T, "统一社会信用代码", "18位统一社会信用代码（GB 32100-2015）", REG),
    Fact("name", T, "企业名称", "登记名称", REG),
    Fact("region_code", T, "所在行政区划", "GB/T 2260 区划代码（6位县级，9/12位镇街）", REG),
    Fact("industry_code", T, "国民经济行业", "GB/T 4754-2017 行业代码，如 C3562", REG),
    Fact(
        "industry_section",
        T,
        "行业门类",
        "GB/T 4754-2017 门类字母（A–T），由行业代码首字母得出",
        REG,
    ),
    Fact(
        "kind",
        E,
        "市场主体类型",
        "企业或个体工商户",
        REG,
        choices=("enterprise", "sole_proprietor"),
        choice_labels=("企业", "个体工商户"),
    ),
    Fact("registered_on", D, "成立日期", "营业执照成立日期", REG),
    Fact("employees", N, "从业人员", "从业人员期末人数", "统计局", unit="人"),
    Fact("revenue_wan", N, "营业收入", "上年营业收入", "统计局", unit="万元"),
    Fact("assets_wan", N, "资产总额", "上年末资产总额", "统计局", unit="万元"),
    Fact(
        "size_class",
        E,
        "企业规模",
        "大中小微型（统计上大中小微型企业划分办法(2017)）；缺失时按行业、从业人员、营业收入、资产总额推算",
        "derived",
        choices=("large", "medium", "small", "micro"),
        choice_labels=("大型", "中型", "小型", "微型"),
        derivation=Derivation(
            inputs=("industry_code", "employees", "revenue_wan", "assets_wan"),
            function="tongchou.enterprises.size_class:classify_frame",
            row="tongchou.enterprises.size_class:classify_facts",
            note="按统计上大中小微型企业划分办法（2017）推算",
        ),
    ),
    Fact("above_designated_size", B, "规模以上企业", "是否统计上的规模以上企业", "统计局"),
    Fact("foreign_invested", B, "外商投资企业", "是否外商投资企业", COM),
    Fact("exporter", B, "外贸出口企业", "是否有进出口经营权且有出口实绩", COM),
    Fact("high_tech", B, "高新技术企业", "是否认定的高新技术企业", "区科技局"),
    # --- social insurance / employment ----------------------------------------
    Fact("insured_employees", N, "参保职工人数", "当前参加失业保险的职工人数", HRSS, unit="人"),
    Fact(
        "insured_employees_prev_year_end",
        N,
        "上年末参保职工人数",
        "上年末参加失业保险的职工人数",
        HRSS,
        unit="人",
    ),
    Fact(
        "layoff_rate",
        N,
        "裁员率",
        "max(0, 上年末参保人数 − 当前参保人数) / 上年末参保人数；缺失时由两项人数推算",
        "derived",
        display="percent",
        derivation=Derivation(
            inputs=("insured_employees_prev_year_end", "insured_employees"),
            expression=(
                "CASE WHEN insured_employees_prev_year_end > 0 AND insured_employees IS NOT NULL THEN "
                "(CASE WHEN insured_employees_prev_year_end - insured_employees > 0 "
                "THEN insured_employees_prev_year_end - insured_employees ELSE 0 END) "
                "/ insured_employees_prev_year_end END"
            ),
            note="由参保人数推算",
        ),
    ),
    Fact(
        "unemployment_insurance_paid_prev_year",
        N,
        "上年度实际缴纳失业保险费",
        "企业上年度实际缴纳的失业保险费",
        HRSS,
        unit="元",
    ),
    Fact(
        "employer_social_insurance_monthly",
        N,
        "单位社保月缴费",
        "单位每月缴纳的基本养老、失业、工伤保险费合计",
        HRSS,
        unit="元/月",
    ),
    Fact("is_hr_agency", B, "经营性人力资源服务机构", "是否持证的经营性人力资源服务机构", HRSS),
    Fact(
        "job_placements",
        N,
        "经审核的职业介绍人数",
        "介绍技能型人才及院校毕业生就业并经人社部门审核确认的人数",
        HRSS,
        unit="人",
    ),
    Fact(
        "incubator_level",
        E,
        "创业孵化示范基地级别",
        "创业孵化示范基地（园区）或人力资源服务产业园的级别",
        HRSS,
        choices=("none", "city", "provincial"),
        choice_labels=("无", "市级", "省级"),
    ),
    Fact(
        "tenant_rent_waived",
        N,
        "为入驻企业减免租金总额",
        "疫情期间（2020年2–4月）为入驻企业减免的房屋租金总额",
        HRSS,
        unit="元",
    ),
    Fact(
        "operating_difficulty",
        B,
        "受疫情影响生产经营困难",
        "经认定受疫情影响生产经营出现严重困难",
        HRSS,
    ),
    Fact(
        "is_online_training_platform",
        B,
        "承担任务的线上培训平台",
        "承担职业技能线上培训任务的平台",
        HRSS,
    ),
    Fact(
        "online_training_subsidy_base",
        N,
        "线上培训合格人数对应补贴标准",
        "按培训项目职业培训补贴标准计算的合格人数补贴额",
        HRSS,
        unit="元",
    ),
    Fact(
        "new_hires_insured",
        N,
        "新吸纳就业人数",
        "2020年2月10日起一个月内新吸纳、签订1年以上劳动合同并缴纳社保的人数",
        HRSS,
        unit="人",
    ),
    Fact("is_poverty_workshop", B, "就业扶贫车间", "是否认定的就业扶贫车间", "区扶贫办"),
    Fact(
        "poverty_workshop_workers",
        N,
        "扶贫车间稳定就业的已脱贫劳动力",
        "疫情期间在车间稳定就业的已脱贫贫困劳动力人数",
        "区扶贫办",
        unit="人",
    ),
    Fact(
        "is_poverty_leading_enterprise",
        B,
        "扶贫龙头企业",
        "是否认定的扶贫龙头企业或带贫企业",
        "区扶贫办",
    ),
    # --- premises, investment ----------------------------------------------------
    Fact(
        "state_owned_rent_monthly",
        N,
        "承租国有企业经营性房产月租金",
        "承租国有企业经营性房产的月租金",
        SASAC,
        unit="元/月",
    ),
    Fact(
        "epidemic_equipment_investment",
        N,
        "扩大防疫物资生产技改设备投资额",
        "疫情期内为扩大防疫应急物资生产进行的技改设备投资额",
        IND,
        unit="元",
    ),
    Fact(
        "equipment_purchase",
        N,
        "设备（软件）购置投资额",
        "企业已购置设备（软件）的投资额",
        IND,
        unit="元",
    ),
    Fact(
        "has_soe_contract",
        B,
        "与国有企业签订合同",
        "已与国有企业签订合同且因疫情无法按时履行",
        SASAC,
    ),
    Fact(
        "utility_arrears",
        N,
        "欠缴水电气费",
        "生产经营所需用电、用气、用水欠费金额",
        "区发展改革局",
        unit="元",
    ),
    # --- tax ----------------------------------------------------------------------
    Fact("tax_due_unpaid", N, "因疫情不能按期缴纳的税款", "申请延期缴纳的税款", TAX, unit="元"),
    Fact(
        "major_epidemic_loss",
        B,
        "因疫情遭受重大损失",
        "经税务机关认定因疫情影响遭受重大损失",
        TAX,
    ),
    Fact(
        "land_and_property_tax_annual",
        N,
        "年城镇土地使用税和房产税",
        "全年应缴城镇土地使用税与房产税合计",
        TAX,
        unit="元",
    ),
    # --- finance -------------------------------------------------------------------
    Fact(
        "is_epidemic_supply_producer",
        B,
        "市级认定的疫情防控物资生产企业",
        "列入市级疫情防控物资生产企业名单",
        IND,
    ),
    Fact(
        "is_key_epidemic_enterprise",
        B,
        "疫情防控重点保障企业",
        "列入国家或省疫情防控重点保障企业名单",
        "区发展改革局",
    ),
    Fact(
        "emergency_loan_amount",
        N,
        "应急贷款本金",
        "商业银行发放的疫情防控应急贷款本金",
        FIN,
        unit="元",
    ),
    Fact(
        "emergency_loan_rate",
        N,
        "应急贷款年利率",
        "应急贷款年利率（小数，0.05 即 5%）",
        FIN,
        display="percent",
    ),
    Fact(
        "new_loan_amount_2020",
        N,
        "2020年新增贷款",
        "2020年新增的企业贷款本金",
        FIN,
        unit="元",
    ),
    Fact("loan_due_soon", B, "贷款即将到期", "有即将到期的银行贷款", FIN),
    # --- trade -----------------------------------------------------------------------
    Fact(
        "overseas_fair_fee_paid",
        N,
        "已付境外展会展位费",
        "已付费报名但因疫情不能参展的境外展会展位费",
        COM,
        unit="元",
    ),
    Fact(
        "epidemic_supply_imports",
        N,
        "一级响应期内进口防疫物资金额",
        "省突发公共卫生事件I级响应期内进口防疫物资的金额",
        COM,
        unit="元",
    ),
    Fact(
        "exports_usd_prev_year",
        N,
        "上年出口额",
        "上年出口额（美元）",
        COM,
        unit="美元",
    ),
    Fact(
        "export_credit_insurance_premium",
        N,
        "出口信用保险保费",
        "当年投保出口信用保险支付的保费",
        COM,
        unit="元",
    ),
    Fact(
        "foreign_capital_received_usd",
        N,
        "疫情期间实际到账外资",
        "疫情期间实际到账外资（美元）",
        COM,
        unit="美元",
    ),
    # --- agriculture -----------------------------------------------------------------
    Fact(
        "new_greenhouse_area_m2",
        N,
        "年度内新建日光温室面积",
        "年度内新建日光温室的室内面积",
        AGR,
        unit="平方米",
    ),
    Fact(
        "land_transfer_new_mu",
        N,
        "新增进场交易流转面积",
        "新增流转且进入农村产权流转交易市场交易的土地面积",
        AGR,
        unit="亩",
    ),
    Fact(
        "is_new_agri_operator",
        B,
        "新型农业经营主体",
        "家庭农场、农民合作社、农业龙头企业等新型农业经营主体",
        AGR,
    ),
    # --- health -----------------------------------------------------------------------
    Fact(
        "new_class1_drugs",
        N,
        "新获国家一类新药生产批准文号数",
        "当年新获得国家一类新药生产批准文号的产品数",
        "市场监管局（药监）",
        unit="个",
    ),
]
