from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.core.cache import process_cache

# code -> (parent code, level, name) of every region: ~250 rows, read once per process, dropped when
# a region is saved or deleted (`tongchou load-reference`, the admin).
_tree = process_cache("regions.tree", invalidated_by=["regions.Region"])
# code -> Region (or None for an unknown code), for request paths that name a region by its code
_by_code = process_cache("regions.by_code", max_entries=2000, invalidated_by=["regions.Region"])


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

    # --- the tree -----------------------------------------------------------------------------
    # Ancestors are answered from a per-process copy of the (small, rarely changed) table, so walking
    # up costs no query; descendants are one indexed LIKE on the code (``descendants_prefix``).

    def ancestor_codes(self, *, include_self: bool = True) -> list[str]:
        """Codes from this region up to the root, nearest first: 370306001 → [370306001, 370306,
        370300, 370000] (without the first when ``include_self`` is False)."""
        above = ancestor_codes(self.parent_id) if self.parent_id else []
        return [self.code, *above] if include_self else above

    def ancestors(self, *, include_self: bool = False) -> list[Region]:
        """The regions above this one, root first (山东省, 淄博市 for 周村区): one query."""
        codes = self.ancestor_codes(include_self=include_self)
        found = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [found[c] for c in reversed(codes) if c in found]

    @property
    def descendants_prefix(self) -> str:
        """What every code in this region's subtree (itself included) starts with."""
        return self.prefix

    def descendants(self, *, include_self: bool = False) -> models.QuerySet[Region]:
        qs = Region.objects.filter(code__startswith=self.prefix)
        return qs if include_self else qs.exclude(code=self.code)

    def contains(self, other: Region | str | None) -> bool:
        """True if *other* (a region or a code) is this region or lies below it."""
        code = other.code if isinstance(other, Region) else other
        return bool(code) and str(code).startswith(self.prefix)

    @property
    def full_name(self) -> str:
        """Names below the province, from the top: 淄博市周村区丝绸路街道."""
        rows = _tree_rows()
        names = []
        for code in self.ancestor_codes():
            _parent, level, name = (None, self.level, self.name) if code == self.code else rows[code]
            if level == RegionLevel.PROVINCE:
                break
            names.append(name)
        return "".join(reversed(names))


def _tree_rows() -> dict[str, tuple[str | None, str, str]]:
    return _tree.get(
        "rows",
        lambda: {
            code: (parent, level, name)
            for code, parent, level, name in Region.objects.values_list("code", "parent_id", "level", "name")
        },
    )


def ancestor_codes(code: str, *, include_self: bool = True) -> list[str]:
    """Codes from *code* up to the root, nearest first, following the stored parents (no query once
    the tree is cached). An unknown code gives ``[code]`` (or ``[]``)."""
    rows = _tree_rows()
    out = [code] if include_self else []
    seen = {code}
    parent = rows.get(code, (None, "", ""))[0]
    while parent and parent not in seen:
        out.append(parent)
        seen.add(parent)
        parent = rows.get(parent, (None, "", ""))[0]
    return out


def region_by_code(code: str) -> Region | None:
    """The Region with *code*, from a per-process cache (dropped when regions change). Read-only:
    the instance is shared between requests."""
    return _by_code.get(code, lambda: Region.objects.select_related("parent").filter(code=code).first())


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
