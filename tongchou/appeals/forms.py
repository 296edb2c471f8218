from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongchou.appeals.models import Category
from tongchou.appeals.states import RATING_LABELS, Rating


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.txt"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


CATEGORY_CHOICES = [("", _("由系统判断"))] + list(Category.choices)


class AppealForm(forms.Form):
    """Enterprise users: the enterprise and region come from the account."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(label=_("问题类别"), choices=CATEGORY_CHOICES, required=False)
    text = forms.CharField(
        label=_("反映的问题"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "请说明遇到的问题、地点和希望得到的帮助"}),
        min_length=5,
        max_length=5000,
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    attachments = MultipleFileField(
        label=_("附件（PDF/图片/Word/Excel，单个≤10MB，最多5个）"), required=False
    )


class PublicAppealForm(AppealForm):
    contact_name = forms.CharField(label=_("姓名"), max_length=64)
    contact_phone = forms.CharField(label=_("手机号"), max_length=20)
    region = forms.ChoiceField(label=_("所在区县"), choices=())

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.full_name or r.name) for r in regions]
        self.order_fields(["region", "category", "text", "contact_name", "contact_phone", "attachments"])


class LookupForm(forms.Form):
    number = forms.CharField(label=_("诉求编号"), max_length=32)
    phone = forms.CharField(label=_("提交时的手机号"), max_length=20)


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("评价"), choices=[(r.value, RATING_LABELS[r]) for r in Rating], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class BatchForm(forms.Form):
    title = forms.CharField(label=_("批次标题"), max_length=200)
    addressee = forms.CharField(label=_("报送对象"), max_length=100, required=False, initial="市指挥部")
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别"))] + list(Category.choices), required=False
    )
    start = forms.DateField(label=_("提交日期自"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), widget=forms.DateInput(attrs={"type": "date"}))
    only_open = forms.BooleanField(label=_("仅未办结"), required=False, initial=False)
