from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.accounts.roles import BINDINGS, Role
from tongchou.core import clock


class User(AbstractUser):
    """A person using the platform. The role says what they may do; the binding says to what."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("所属企业"),
    )
    department = models.ForeignKey(
        "regions.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("所属部门"),
    )
    is_department_head = models.BooleanField(_("部门负责人"), default=False)
    bank = models.ForeignKey(
        "financing.Bank",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("所属银行"),
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("管辖区域"),
        help_text=_(
            "指挥部领导、督查室、金融监管、卫生健康、网格员和第三方评估人员的管辖范围（网格员为镇/街道，"
            "卫生健康为区县或镇/街道）；部门人员取其部门所在区域。"
        ),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        """The binding the role needs (``roles.BINDINGS``): a region-bound role needs a region of a
        fitting level (a grid worker a town, health staff a district or a town)."""
        from django.core.exceptions import ValidationError

        super().clean()
        if self.is_superuser:
            return
        binding = BINDINGS.get(self.role)
        if binding is None or not binding.kind:
            return
        label = Role(self.role).label
        if binding.kind == "region":
            region = self.region if self.region_id else None
            if region is None:
                raise ValidationError({"region": _("%(role)s须指定管辖区域。") % {"role": label}})
            if binding.region_levels and region.level not in binding.region_levels:
                raise ValidationError(
                    {
                        "region": _("%(role)s的管辖区域不能是“%(region)s”（%(level)s）。")
                        % {"role": label, "region": region.name, "level": region.get_level_display()}
                    }
                )
        elif not getattr(self, f"{binding.kind}_id"):
            field = self._meta.get_field(binding.kind)
            raise ValidationError(
                {binding.kind: _("%(role)s须指定%(what)s。") % {"role": label, "what": field.verbose_name}}
            )


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for another system (the 12345 hotline, a department's data exchange).

    Only the SHA-256 of the token is stored; the raw value is shown once when created.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    name = models.CharField(_("用途"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "tc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash_token(raw), prefix=raw[:8])
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token = cls.objects.select_related("user").filter(key_hash=_hash_token(raw), revoked=False).first()
        if token is None or not token.user.is_active:
            return None
        now = clock.now()
        # "last used" is for humans auditing tokens: minute precision is enough, and skipping the
        # write on most calls saves a disk flush per API request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
