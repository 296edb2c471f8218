from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.core import clock


class WorkdayOverride(models.Model):
    """An administrator's ruling on one day: a working day or not.

    Needed for years chinese-calendar does not know yet (the State Council publishes the next
    year's holidays each November), and to correct a day locally. Overrides beat the package.
    """

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("如：2027年春节调休"))
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)

    class Meta:
        verbose_name = _("工作日设置")
        verbose_name_plural = _("工作日设置")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '放假'}"
