from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.core import clock


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")
    GROUP = "group", _("中类")
    CLASS = "class", _("小类")


class Industry(models.Model):
    """GB/T 4754-2017 industry: section letter plus 2/3/4 digits (C, C35, C356, C3562)."""

    code = models.CharField(_("行业代码"), max_length=8, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级"),
    )

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def section(self) -> str:
        return self.code[:1]


class EnterpriseKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    SOLE_PROPRIETOR = "sole_proprietor", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    OTHER = "other", _("其他")


class SizeClass(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Enterprise(models.Model):
    """A registered market entity (市场主体). Registry fields here; everything else is a dated fact
    (``tongchou.facts.models.EnterpriseFact``)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(
        _("主体类型"), max_length=20, choices=EnterpriseKind.choices, default=EnterpriseKind.ENTERPRISE
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所在区域")
    )
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("行业"),
    )
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    revenue_wan = models.DecimalField(
        _("上年营业收入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    assets_wan = models.DecimalField(
        _("资产总额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    registered_on = models.DateField(_("成立日期"), null=True, blank=True)
    size_class = models.CharField(
        _("企业规模"), max_length=8, choices=SizeClass.choices, blank=True, db_index=True
    )
    above_designated_size = models.BooleanField(_("规模以上"), default=False)
    foreign_invested = models.BooleanField(_("外商投资"), default=False)
    exporter = models.BooleanField(_("出口企业"), default=False)
    high_tech = models.BooleanField(_("高新技术企业"), default=False)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "size_class"]), models.Index(fields=["industry"])]

    def __str__(self) -> str:
        return self.name
