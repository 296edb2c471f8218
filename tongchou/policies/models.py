"""Policy library: documents (original kept unchanged + normalised text + offset map) and measures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongchou.core import clock


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("政策文件")
    NEWS = "news", _("新闻报道/发布会")


class PolicyDocument(models.Model):
    slug = models.SlugField(_("文档标识"), max_length=80, unique=True)
    title = models.CharField(_("标题"), max_length=500)
    kind = models.CharField(_("类型"), max_length=10, choices=DocumentKind.choices, db_index=True)
    issuers = models.JSONField(_("发文机关"), default=list, blank=True)
    issuer_text = models.CharField(_("发文机关（检索用）"), max_length=500, blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True, db_index=True)
    cited_doc_numbers = models.JSONField(_("引用文号"), default=list, blank=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_documents",
        verbose_name=_("地区"),
    )
    original_file = models.FileField(_("原始文件"), upload_to="policies/originals/%Y/")
    original_filename = models.CharField(_("原始文件名"), max_length=255)
    original_sha256 = models.CharField(_("原始文件摘要"), max_length=64, db_index=True)
    source_format = models.CharField(_("格式"), max_length=10)
    original_text = models.TextField(_("原文（解码后）"))
    text = models.TextField(_("规范化文本"))
    offset_map = models.JSONField(
        _("位置映射"), default=list, help_text="[normalised_start, original_start, length] runs"
    )
    quantities = models.JSONField(_("文中数据"), default=list, blank=True)
    warnings = models.JSONField(_("解析提示"), default=list, blank=True)
    created_at = models.DateTimeField(_("入库时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("入库人")
    )

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-issued_on", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:document", kwargs={"slug": self.slug})


class Measure(models.Model):
    measure_id = models.CharField(
        _("措施编号"), max_length=120, unique=True, help_text="<document slug>/<number>"
    )
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="measures", verbose_name=_("所属文件")
    )
    number = models.CharField(_("条号"), max_length=20)
    position = models.PositiveIntegerField(_("顺序"))
    path = models.JSONField(_("标题层级"), default=list, blank=True)
    title = models.CharField(_("措施名称"), max_length=300)
    text = models.TextField(_("全文"))
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    responsible_persons = models.JSONField(_("责任人"), default=list, blank=True)
    lead_units = models.JSONField(_("牵头单位（原文）"), default=list, blank=True)
    lead_units_text = models.CharField(_("牵头单位（检索用）"), max_length=1000, blank=True)
    unresolved_lead_units = models.JSONField(_("未匹配的牵头单位"), default=list, blank=True)
    supporting_units = models.JSONField(_("配合单位（原文）"), default=list, blank=True)
    lead_departments = models.ManyToManyField(
        "regions.Department", blank=True, related_name="lead_measures", verbose_name=_("牵头部门")
    )
    quantities = models.JSONField(_("数量"), default=dict, blank=True)
    topics = models.JSONField(_("主题"), default=list, blank=True)
    topics_text = models.CharField(_("主题（检索用）"), max_length=300, blank=True)
    tokens = models.TextField(_("分词"), blank=True)
    rank_key = models.CharField(_("排序键"), max_length=120, blank=True, db_index=True)

    class Meta:
        verbose_name = _("政策措施")
        verbose_name_plural = _("政策措施")
        ordering = ["document_id", "position"]
        indexes = [models.Index(fields=["document", "position"])]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("policies:measure", kwargs={"slug": self.document.slug, "number": self.number})
