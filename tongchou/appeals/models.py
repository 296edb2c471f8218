"""Appeals (诉求) work orders, their history, attachments, routing rules, deadlines and batches
(warnings and escalations sent are ``core.Escalation`` rows, workflow "appeal"). The state machine lives in ``states.py`` (pure); services in ``services.py`` are the only
writers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.appeals.states import RATING_LABELS, STATUS_LABELS, Rating, Status
from tongchou.core import clock
from tongchou.core.models import WorkflowEventBase


class Category(models.TextChoices):
    LOGISTICS = "logistics", _("物流运输与通行")
    FINANCING = "financing", _("融资贷款")
    LABOUR = "labour", _("用工招聘")
    SUPPLY_CHAIN = "supply_chain", _("原材料与供应链")
    POLICY = "policy", _("政策咨询")
    TAX = "tax", _("税费")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    LAND_APPROVAL = "land_approval", _("用地与审批")
    EPIDEMIC = "epidemic", _("疫情防控要求")
    MARKET = "market", _("市场秩序与价格")
    OTHER = "other", _("其他")


StatusChoices = models.TextChoices("StatusChoices", [(s.name, (s.value, STATUS_LABELS[s])) for s in Status])
RatingChoices = models.TextChoices("RatingChoices", [(r.name, (r.value, RATING_LABELS[r])) for r in Rating])


class Channel(models.TextChoices):
    WEB = "web", _("企业网上反映")
    PUBLIC = "public", _("群众网上反映")
    HOTLINE = "hotline", _("12345热线")
    OPEN311 = "open311", _("Open311")
    API = "api", _("接口")


class Batch(models.Model):
    """A numbered batch (第N批) of appeals reported upward by one region; N counts per region."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("报送区域")
    )
    number = models.PositiveIntegerField(_("批次号"))
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("报送对象"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("报送时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("报送人"),
    )

    class Meta:
        verbose_name = _("报送批次")
        verbose_name_plural = _("报送批次")
        ordering = ["region_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="appeal_batch_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.region} 第{self.number}批"


class Appeal(models.Model):
    number = models.CharField(_("编号"), max_length=32, unique=True, null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    # idempotency: one key per client (a user, an API token's user, or the public form)
    client = models.CharField(_("提交方"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=100, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True, db_index=True)

    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("提交人"),
    )
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("企业"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    title = models.CharField(_("标题"), max_length=100, blank=True)
    text = models.TextField(_("诉求内容"))
    address = models.CharField(_("地点"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    long = models.FloatField(_("经度"), null=True, blank=True)
    # Open311's media_url: a link the submitting system hosts. Kept as a link, never fetched: the
    # platform runs on networks with no way out, and fetching a caller-given URL invites SSRF.
    media_url = models.URLField(_("媒体链接"), max_length=500, blank=True)
    measure_ids = models.JSONField(_("涉及政策措施"), default=list, blank=True)

    department = models.ForeignKey(
        "regions.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("承办部门"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=StatusChoices.choices, default=Status.SUBMITTED
    )
    routing = models.JSONField(_("分办建议"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("提交时间"), default=clock.now)
    dispatched_at = models.DateTimeField(_("分办时间"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    feedback_due = models.DateTimeField(_("反馈期限"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("办结期限"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)

    rating = models.CharField(_("评价"), max_length=24, choices=RatingChoices.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    # True until the figures' daily table (AppealDayStat) has counted this order's current state.
    # Set by every save(); cleared by stats.refresh(). See stats.py for why a flag and not a delta.
    stats_dirty = models.BooleanField(_("统计待更新"), default=True, editable=False)

    batch = models.ForeignKey(
        Batch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
        verbose_name=_("报送批次"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("合并至"),
    )

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="appeal_unique_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["region", "submitted_at"], name="appeal_region_time"),
            models.Index(fields=["department", "status"], name="appeal_dept_status"),
            models.Index(fields=["status", "feedback_due"], name="appeal_status_fdue"),
            models.Index(fields=["status", "resolution_due"], name="appeal_status_rdue"),
            models.Index(fields=["enterprise", "submitted_at"], name="appeal_ent_time"),
            models.Index(fields=["submitted_at"], name="appeal_time"),
            models.Index(
                fields=["submitted_at"], condition=models.Q(stats_dirty=True), name="appeal_stats_dirty"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def save(self, *args, **kwargs) -> None:
        """Every write changes what the figures count, so every write marks the order dirty."""
        self.stats_dirty = True
        fields = kwargs.get("update_fields")
        if fields is not None and "stats_dirty" not in fields:
            kwargs["update_fields"] = [*fields, "stats_dirty"]
        super().save(*args, **kwargs)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    @property
    def rating_label(self) -> str:
        return RATING_LABELS[Rating(self.rating)] if self.rating else ""

    @property
    def short_title(self) -> str:
        return self.title or (self.text[:30] + ("…" if len(self.text) > 30 else ""))


class AppealDayStat(models.Model):
    """The figures' counters for the orders submitted on one local day, per (department, region,
    category): what figures.figures() would count for that cell, merged duplicates left out.

    Maintained by stats.refresh() from the orders flagged ``stats_dirty``; a day with any dirty order
    is counted live instead, so the figures are exact whether or not the refresh has run. Overdue is
    not stored: it depends on "now" and is always counted live over open orders.
    """

    day = models.DateField(_("提交日期"))
    department = models.ForeignKey(
        "regions.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("承办部门"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("区域")
    )
    category = models.CharField(_("类别"), max_length=20)
    total = models.PositiveIntegerField(_("诉求数"), default=0)
    feedback_in_time = models.PositiveIntegerField(_("按期反馈数"), default=0)
    answered = models.PositiveIntegerField(_("已答复数"), default=0)
    rated = models.PositiveIntegerField(_("已评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意数"), default=0)
    n_feedback = models.PositiveIntegerField(_("已反馈数"), default=0)
    n_answer = models.PositiveIntegerField(_("已答复计时数"), default=0)
    sum_feedback_hours = models.FloatField(_("反馈用时合计（小时）"), default=0)
    sum_answer_hours = models.FloatField(_("答复用时合计（小时）"), default=0)

    class Meta:
        verbose_name = _("诉求日统计")
        verbose_name_plural = _("诉求日统计")
        # one row per cell and day: stats.refresh() deletes a day's rows and writes them again
        indexes = [models.Index(fields=["day"], name="appeal_day_stat_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.region_id} {self.category}"


class AppealEvent(WorkflowEventBase):
    """One line of an appeal's history: who did what, when, why, from which state to which (written
    by core.workflow; deadline warnings and escalations appear here too)."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="events", verbose_name=_("诉求")
    )
    from_department = models.ForeignKey(
        "regions.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("原部门"),
    )
    to_department = models.ForeignKey(
        "regions.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("新部门"),
    )

    class Meta(WorkflowEventBase.Meta):
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action} {self.from_status}→{self.to_status}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"appeals/{instance.appeal_id}/{filename}"


class Attachment(models.Model):
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("诉求")
    )
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class RoutingKeyword(models.Model):
    """An administrator-editable routing rule: this keyword points to this department."""

    department = models.ForeignKey(
        "regions.Department",
        on_delete=models.CASCADE,
        related_name="routing_keywords",
        verbose_name=_("部门"),
    )
    keyword = models.CharField(_("关键词"), max_length=50)
    weight = models.FloatField(_("权重"), default=2.0, help_text=_("1 = 提示，3 = 决定性"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分办关键词")
        verbose_name_plural = _("分办关键词")
        ordering = ["department_id", "-weight", "keyword"]
        constraints = [
            models.UniqueConstraint(fields=["department", "keyword"], name="routing_keyword_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.keyword} → {self.department}"


class DeadlinePolicy(models.Model):
    """Working days for feedback and resolution, per category and region (blank = any).

    The most specific row wins: category+region, then region, then category, then the built-in
    defaults (categories.yaml). A region row applies to the region and everything below it.
    """

    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("区域"),
    )
    feedback_days = models.PositiveSmallIntegerField(_("反馈期限（工作日）"), default=2)
    resolution_days = models.PositiveSmallIntegerField(_("办结期限（工作日）"), default=5)

    class Meta:
        verbose_name = _("办理期限")
        verbose_name_plural = _("办理期限")
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="deadline_policy_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display() or '全部类别'} / {self.region or '全部区域'}"
