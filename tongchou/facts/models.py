"""Dated storage of facts about enterprises (moved here from ``enterprises`` and ``rules``; the
rows were kept: see migrations/0001 and 0002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.core import clock


class EnterpriseFact(models.Model):
    """One dated value about an enterprise, from the registry or a department's data file.

    Reading "as of D" takes, per enterprise and name, the row with the latest ``as_of`` on or
    before D (``tongchou.facts.selectors``). Storage of values: ``tongchou.facts.storage``.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="facts", verbose_name=_("企业")
    )
    name = models.CharField(_("事实名"), max_length=64, db_index=True)
    value_number = models.DecimalField(_("数值"), max_digits=20, decimal_places=4, null=True, blank=True)
    value_text = models.CharField(_("文本值"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    as_of = models.DateField(_("数据日期"))
    imported_at = models.DateTimeField(_("导入时间"), default=clock.now)

    class Meta:
        verbose_name = _("企业事实")
        verbose_name_plural = _("企业事实")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name", "as_of"], name="fact_unique_per_day")
        ]
        indexes = [models.Index(fields=["name", "as_of"], name="facts_name_as_of_idx")]

    def __str__(self) -> str:
        return f"{self.name}={self.value_number if self.value_number is not None else self.value_text}"


class FactImport(models.Model):
    """A department's data file loaded as dated facts."""

    source = models.CharField(_("来源部门"), max_length=100)
    as_of = models.DateField(_("数据日期"))
    file_name = models.CharField(_("文件名"), max_length=200)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    facts = models.PositiveIntegerField(_("事实数"), default=0)
    columns = models.JSONField(_("列"), default=list)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), default=clock.now)

    class Meta:
        verbose_name = _("部门数据导入")
        verbose_name_plural = _("部门数据导入")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.as_of} {self.file_name}"
