from django.db import models
from django.utils.translation import gettext_lazy as _


class Bank(models.Model):
    """A bank or insurer that takes part in financing matchmaking; bank staff accounts belong to one."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("所在区域"))

    class Meta:
        verbose_name = _("银行")
        verbose_name_plural = _("银行")

    def __str__(self) -> str:
        return self.name
