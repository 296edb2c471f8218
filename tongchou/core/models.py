from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.core import clock


class AuditEntry(models.Model):
    """Who did what to which object, when — including every look at unmasked personal data."""

    at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人")
    )
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"


class Notification(models.Model):
    """A message to a user or to every user of an enterprise; shown in-app and sent by the senders."""

    created_at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收企业"),
    )
    kind = models.CharField(_("类别"), max_length=48, blank=True, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(enterprise__isnull=False),
                name="notification_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.title


class WorkflowEventBase(models.Model):
    """One line of an object's history, written by ``core.workflow`` with every move: who, when,
    which action, from which state to which, why. A module declares its own table::

        class FinancingRequestEvent(WorkflowEventBase):
            request = models.ForeignKey(FinancingRequest, on_delete=models.CASCADE, related_name="events")

    and names it in its workflow (``event_model="financing.FinancingRequestEvent", event_fk="request"``).
    """

    at = models.DateTimeField(_("时间"), default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作方"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=32, blank=True)
    from_status = models.CharField(_("原状态"), max_length=32, blank=True)
    to_status = models.CharField(_("新状态"), max_length=32)
    reason = models.TextField(_("原因/说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status or '—'}→{self.to_status}"


class Escalation(models.Model):
    """A deadline warning or escalation that was sent, for any workflow: unique per (workflow,
    object, kind, deadline), so a restart or a second worker never repeats one and a new deadline
    gets its own. Holds ids only (no names, phones or texts)."""

    workflow = models.CharField(_("流程"), max_length=40)
    object_id = models.BigIntegerField(_("对象编号"))
    kind = models.CharField(_("类型"), max_length=40)
    due = models.DateTimeField(_("期限"))
    created_at = models.DateTimeField(_("时间"), default=clock.now)
    recipients = models.JSONField(_("通知对象"), default=list, blank=True)

    class Meta:
        verbose_name = _("提醒与督办")
        verbose_name_plural = _("提醒与督办")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "object_id", "kind", "due"], name="core_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workflow}#{self.object_id} {self.kind} {self.due:%Y-%m-%d %H:%M}"


class ScheduledJob(models.Model):
    """The state of one registered background job (``core.scheduler``): its lease (which process
    runs it now, until when), when it runs next, and how its last runs went."""

    name = models.CharField(_("任务"), max_length=64, unique=True)
    label = models.CharField(_("名称"), max_length=100, blank=True)
    next_run_at = models.DateTimeField(_("下次运行"), null=True, blank=True)
    lease_owner = models.CharField(_("运行进程"), max_length=120, blank=True)
    lease_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("上次开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("上次结束"), null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("上次用时（毫秒）"), null=True, blank=True)
    last_result = models.TextField(_("上次结果"), blank=True)
    last_success_at = models.DateTimeField(_("上次成功"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_error_at = models.DateTimeField(_("最近出错"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    runs = models.PositiveIntegerField(_("运行次数"), default=0)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label or self.name
