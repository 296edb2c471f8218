from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    TOWN = "town", _("镇/街道")


def region_prefix(code: str, level: str) -> str:
    """The significant prefix of a GB/T 2260 code: 37 / 3703 / 370306 / 370306001.

    "In region X" means "code starts with X's prefix", which keeps every scoped query one indexed
    LIKE instead of a recursive walk of the tree.
    """
    return {"province": code[:2], "city": code[:4], "county": code[:6]}.get(level, code)


class Region(models.Model):
    """A division of GB/T 2260 (province, city, county) or a town with its 9-digit statistical code."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级"),
    )
    prefix = models.CharField(_("代码前缀"), max_length=12, db_index=True, editable=False)
    pinyin = models.CharField(_("拼音"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.prefix = region_prefix(self.code, self.level)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None and node.level != RegionLevel.PROVINCE:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Department(models.Model):
    """A government bureau of one region (区人力资源社会保障局); staff users belong to one.

    ``aliases`` hold the short forms documents use (区人社局), so lead units resolve by any name.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("所属区域")
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("政府部门")
        verbose_name_plural = _("政府部门")
        ordering = ["region_id", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def all_names(self) -> list[str]:
        return [self.name, *([self.short_name] if self.short_name else []), *self.aliases]
