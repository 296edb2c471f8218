"""Forms of the rules app: the rule editor (to and from the engine's dict form), fact upload,
payout approval, objections and the simulation parameters."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tongchou.rules.models import BenefitKind, DeliveryMode

EXTRA_CONDITION_ROWS = 2
MAX_CONDITIONS = 12


def field_slug(field: str) -> str:
    """``conditions[1].expression`` → ``conditions-1-expression`` (an HTML id part)."""
    return re.sub(r"[^a-z0-9]+", "-", (field or "").lower()).strip("-") or "general"


def editor_rows(data: dict) -> list[dict]:
    rows = [dict(c) for c in data.get("conditions") or []]
    rows += [{"label": "", "expression": ""} for _ in range(EXTRA_CONDITION_ROWS)]
    for i, r in enumerate(rows):
        r["index"] = i
        r["slug"] = field_slug(f"conditions[{i}].expression")
    return rows[:MAX_CONDITIONS]


def data_from_post(post, *, rule_id: str | None = None) -> dict:
    """The engine's dict form of a rule from the editor's POST data (empty condition rows dropped)."""
    conditions = []
    for i in range(MAX_CONDITIONS):
        label = (post.get(f"cond_label_{i}") or "").strip()
        expr = (post.get(f"cond_expr_{i}") or "").strip()
        if label or expr:
            conditions.append({"label": label, "expression": expr})
    cap = (post.get("benefit_cap") or "").strip().replace(",", "")
    data = {
        "id": (rule_id or post.get("id") or "").strip(),
        "name": (post.get("name") or "").strip(),
        "measure_id": (post.get("measure_id") or "").strip(),
        "region": (post.get("region") or "").strip(),
        "delivery": post.get("delivery") or "automatic",
        "summary": (post.get("summary") or "").strip(),
        "conditions": conditions,
        "benefit": {
            "kind": post.get("benefit_kind") or "cash",
            "formula": (post.get("benefit_formula") or "").strip() or None,
            "description": (post.get("benefit_description") or "").strip(),
        },
        "materials": [m.strip() for m in (post.get("materials") or "").splitlines() if m.strip()],
    }
    if cap:
        data["benefit"]["cap"] = cap
    for key in ("valid_from", "valid_to"):
        if (post.get(key) or "").strip():
            data[key] = post.get(key).strip()
    return data


class FactUploadForm(forms.Form):
    file = forms.FileField(label=_("数据文件（CSV 或 XLSX）"))
    source = forms.CharField(label=_("来源部门"), max_length=100)
    as_of = forms.DateField(label=_("数据日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("请上传 .csv 或 .xlsx 文件。"))
        return f


class PayoutForm(forms.Form):
    amount = forms.DecimalField(label=_("拨付金额（元）"), max_digits=16, decimal_places=2, required=False)
    paid_on = forms.DateField(
        label=_("拨付日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.CharField(label=_("收款账号"), max_length=40)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 4}), min_length=5)
    name = forms.CharField(label=_("您的称呼（可匿名）"), max_length=64, required=False)
    contact = forms.CharField(label=_("联系方式（选填，仅经办部门可见）"), max_length=40, required=False)


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("dismissed", _("异议不成立，继续公示")), ("upheld", _("异议成立，不予兑现"))],
    )
    resolution = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}))


def parse_date(value: str | None, default: dt.date | None = None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return default


def parse_budget_wan(value: str | None) -> float | None:
    try:
        v = float((value or "").replace(",", "").strip())
    except ValueError:
        return None
    return v if v > 0 else None


BENEFIT_CHOICES = BenefitKind.choices
DELIVERY_CHOICES = DeliveryMode.choices
