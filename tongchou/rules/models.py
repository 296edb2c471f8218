"""Rules as data in the database: rules and their versions, match runs, decisions and the
免申即享 delivery cycle (数据比对 → 意愿确认 → 公示 → 异议 → 拨付).

Published versions are immutable: an edit makes a new draft version (see services.py). Every
decision names the rule version it came from and keeps the facts (with their as-of dates) it
was decided from.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.core import clock
from tongchou.core.errors import IllegalTransition
from tongchou.core.models import WorkflowEventBase
from tongchou.rules.states import WORKFLOW as DELIVERY_WORKFLOW


class Rule(models.Model):
    """A rule's identity (``zhoucun.job_retention_refund``); its content lives in versions."""

    id = models.CharField(_("规则编号"), max_length=100, primary_key=True)
    measure_id = models.CharField(_("措施编号"), max_length=100, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("兑现规则")
        verbose_name_plural = _("兑现规则")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id

    @property
    def measure_url(self) -> str:
        """The measure's page in the policy library (/policies/<slug>/<number>/)."""
        return measure_url(self.measure_id)

    @property
    def measure(self):
        """The policy library's Measure with this id, when the library holds it (else None)."""
        return measure_lookup(self.measure_id)


def measure_url(measure_id: str) -> str:
    """The policy library's page of a measure (``<document slug>/<number>``); "" for a malformed id."""
    from django.urls import NoReverseMatch, reverse

    slug, _sep, number = (measure_id or "").partition("/")
    try:
        return reverse("policies:measure", kwargs={"slug": slug, "number": number})
    except NoReverseMatch:
        return ""


def measure_lookup(measure_id: str):
    """The policy library's Measure with this id, or None when the library does not hold it."""
    from tongchou.policies.models import Measure

    return Measure.objects.filter(measure_id=measure_id).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class BenefitKind(models.TextChoices):
    CASH = "cash", _("现金补贴")
    FEE_REDUCTION = "fee_reduction", _("减免")
    DEFERRAL = "deferral", _("缓缴")
    SERVICE = "service", _("服务")


class DeliveryMode(models.TextChoices):
    AUTOMATIC = "automatic", _("免申即享")
    APPLY = "apply", _("依申请")


# Fields that define what a version decides; frozen once the version is published.
CONTENT_FIELDS = (
    "name",
    "region_code",
    "valid_from",
    "valid_to",
    "conditions",
    "benefit_kind",
    "benefit_formula",
    "benefit_cap",
    "benefit_description",
    "delivery",
    "materials",
    "summary",
    "examples",
)


class RuleVersion(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions", verbose_name=_("规则"))
    number = models.PositiveIntegerField(_("版本号"))
    name = models.CharField(_("名称"), max_length=200)
    region_code = models.CharField(_("适用区域代码"), max_length=12)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期止"), null=True, blank=True)
    conditions = models.JSONField(_("条件"), default=list)  # [{label, expression}]
    benefit_kind = models.CharField(_("待遇类型"), max_length=20, choices=BenefitKind.choices)
    benefit_formula = models.TextField(_("金额公式"), blank=True)
    benefit_cap = models.DecimalField(_("上限（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    benefit_description = models.CharField(_("待遇说明"), max_length=300, blank=True)
    delivery = models.CharField(_("兑现方式"), max_length=12, choices=DeliveryMode.choices)
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    examples = models.JSONField(_("示例"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    source = models.CharField(_("来源"), max_length=300, blank=True)  # YAML file or 网页编辑
    content_hash = models.CharField(max_length=64, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("创建人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("发布人"),
    )  # fmt: skip
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("规则版本")
        verbose_name_plural = _("规则版本")
        ordering = ["rule_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = RuleVersion.objects.filter(pk=self.pk).values(*CONTENT_FIELDS, "status").first()
            if stored and stored["status"] != VersionStatus.DRAFT:
                changed = [f for f in CONTENT_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise IllegalTransition(
                        "已发布的规则版本不能修改，请另存为新版本。",
                        code="version_immutable",
                        detail={"fields": changed},
                    )
        super().save(*args, **kwargs)

    # -- the engine's view of this version -------------------------------------------
    def to_dict(self) -> dict:
        d: dict = {
            "id": self.rule_id,
            "name": self.name,
            "measure_id": self.rule.measure_id,
            "region": self.region_code,
            "version": self.number,
            "status": self.status,
            "delivery": self.delivery,
            "conditions": list(self.conditions),
            "benefit": {"kind": self.benefit_kind, "formula": self.benefit_formula or None},
        }
        if self.benefit_cap is not None:
            d["benefit"]["cap"] = float(self.benefit_cap)
        if self.benefit_description:
            d["benefit"]["description"] = self.benefit_description
        if self.materials:
            d["materials"] = list(self.materials)
        if self.summary:
            d["summary"] = self.summary
        if self.valid_from:
            d["valid_from"] = self.valid_from.isoformat()
        if self.valid_to:
            d["valid_to"] = self.valid_to.isoformat()
        if self.examples:
            d["examples"] = list(self.examples)
        return d

    def to_spec(self):
        from tongchou.rules.engine import RuleSpec

        return RuleSpec.from_dict(self.to_dict(), source=str(self))

    @property
    def effective_from(self) -> dt.date | None:
        return self.to_spec().effective_from

    @property
    def effective_to(self) -> dt.date | None:
        return self.to_spec().effective_to


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class MatchRun(models.Model):
    """One evaluation of every published rule over every enterprise as of a date."""

    as_of = models.DateField(_("数据截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    engine = models.CharField(_("引擎"), max_length=12, default="duckdb")
    trigger = models.CharField(_("触发方式"), max_length=12, default="manual")  # manual|schedule|cli|demo|api
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("发起人"),
    )  # fmt: skip
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上次运行")
    )
    started_at = models.DateTimeField(_("开始时间"), default=clock.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    rules = models.PositiveIntegerField(_("规则数"), default=0)
    eligible = models.PositiveIntegerField(_("符合"), default=0)
    unknown = models.PositiveIntegerField(_("待补充"), default=0)
    near_misses = models.PositiveIntegerField(_("差一点"), default=0)
    new_eligible = models.PositiveIntegerField(_("新增符合"), default=0)
    notified = models.PositiveIntegerField(_("推送企业数"), default=0)
    total_amount = models.DecimalField(_("测算金额（元）"), max_digits=18, decimal_places=2, default=0)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("比对运行")
        verbose_name_plural = _("比对运行")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.as_of}"

    @property
    def seconds(self) -> float | None:
        if not self.finished_at:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 2)


class DecisionStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("符合")
    UNKNOWN = "unknown", _("需补充")
    INELIGIBLE = "ineligible", _("不符合")


class Decision(models.Model):
    """Enterprise × rule version × run: what was decided and from what."""

    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("运行")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="rule_decisions",
        verbose_name=_("企业"),
    )
    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("规则版本")
    )
    rule_id = models.CharField(_("规则编号"), max_length=100, db_index=True)
    status = models.CharField(_("结果"), max_length=12, choices=DecisionStatus.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    benefit_value = models.DecimalField(_("待遇值"), max_digits=16, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(_("说明"))
    trace = models.JSONField(_("逐条件记录"), default=list)  # [{label, expression, result, facts: [...]}]
    facts = models.JSONField(_("所用事实"), default=dict)  # name -> {value, as_of, source}
    missing_facts = models.JSONField(_("缺少的事实"), default=list)
    failed_conditions = models.PositiveSmallIntegerField(_("不符合条件数"), default=0)
    near_miss = models.JSONField(_("差一点"), null=True, blank=True)
    is_new = models.BooleanField(_("本次新增"), default=False)
    change = models.CharField(_("与上次相比"), max_length=12, default="same")  # new|changed|same

    class Meta:
        verbose_name = _("比对结果")
        verbose_name_plural = _("比对结果")
        ordering = ["run_id", "rule_id"]
        indexes = [
            models.Index(fields=["enterprise", "run"]),
            models.Index(fields=["run", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}·{self.rule_id}·{self.status}"


class DeliveryStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting", _("待企业确认")
    DECLINED = "declined", _("企业放弃")
    CONFIRMED = "confirmed", _("已确认，待公示")
    IN_PUBLICITY = "publicity", _("公示中")
    OBJECTED = "objected", _("异议处理中")
    PUBLICITY_PASSED = "passed", _("公示期满，待拨付")
    REJECTED = "rejected", _("异议成立，不予兑现")
    PAID = "paid", _("已拨付")


# The delivery cycle's states and transitions are declared in rules/states.py (core.workflow).
OPEN_STATUSES = set(DELIVERY_WORKFLOW.open_states)


class Delivery(models.Model):
    """One enterprise's 免申即享 case for one rule, from the matching decision to the payout."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="rule_deliveries",
        verbose_name=_("企业"),
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("比对结果")
    )
    rule_version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="deliveries")
    rule_id = models.CharField(_("规则编号"), max_length=100, db_index=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.AWAITING_CONFIRMATION,
        db_index=True,
    )  # fmt: skip
    amount = models.DecimalField(_("核定金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("公示工作日数"), default=5)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止"), null=True, blank=True)
    payout_amount = models.DecimalField(
        _("拨付金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    account_masked = models.CharField(_("收款账户（脱敏）"), max_length=40, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("审批人"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("免申即享兑现")
        verbose_name_plural = _("免申即享兑现")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id}·{self.rule_id}·{self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DeliveryEvent(WorkflowEventBase):
    """Every transition of a delivery: from, to, which action, who, when, why (core.workflow)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEventBase.Meta):
        verbose_name = _("兑现流转记录")
        verbose_name_plural = _("兑现流转记录")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) lodged during publicity — by anyone, including the anonymous public."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="objections")
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("异议人"), max_length=64, blank=True)
    contact = models.CharField(_("联系方式"), max_length=40, blank=True)
    text = models.TextField(_("异议内容"))
    lodged_at = models.DateTimeField(_("提出时间"), default=clock.now)
    status = models.CharField(_("处理结果"), max_length=10, choices=ObjectionStatus.choices, default="open")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-lodged_at", "-id"]

    def __str__(self) -> str:
        return self.text[:30]
