from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongchou.policies.parsing.topics import topic_labels


def _region_choices() -> list[tuple[str, str]]:
    from tongchou.policies.models import PolicyDocument
    from tongchou.regions.models import Region

    codes = set(PolicyDocument.objects.exclude(region=None).values_list("region_id", flat=True))
    for reg in Region.objects.filter(pk__in=list(codes)).select_related("parent"):
        if reg.parent_id and reg.parent.level != "province":
            codes.add(reg.parent_id)
    regions = Region.objects.filter(pk__in=list(codes)).order_by("code")
    return [("", _("全部地区"))] + [(r.code, r.name) for r in regions]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("地区"), required=False)
    issuer = forms.CharField(label=_("发文机关"), required=False, max_length=50)
    lead_unit = forms.CharField(label=_("牵头单位"), required=False, max_length=50)
    topic = forms.ChoiceField(label=_("主题"), required=False)
    date_from = forms.DateField(
        label=_("发布日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()
        self.fields["topic"].choices = [("", _("全部主题"))] + list(topic_labels().items())
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("如：稳岗返还、贷款贴息、房租减免"), "type": "search"}
        )

    def filters(self) -> dict:
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "region": d.get("region") or None,
            "issuer": d.get("issuer") or "",
            "lead_unit": d.get("lead_unit") or "",
            "topic": d.get("topic") or "",
            "date_from": d.get("date_from"),
            "date_to": d.get("date_to"),
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("政策文件"), help_text=_("支持 .txt（UTF-8 / GB18030 / Big5）、.docx、.html、带文字层的 .pdf")
    )
    slug = forms.SlugField(
        label=_("文档标识"),
        required=False,
        max_length=80,
        help_text=_("可留空：有文号时自动生成，如 zhoucun-2020-8"),
    )
