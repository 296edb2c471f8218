from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongchou.core import clock


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("名录文件"), help_text=_("Excel（.xlsx）或 CSV 文件；表头可用模板中的中文列名或英文键")
    )
    fact_source = forms.CharField(
        label=_("数据来源"),
        max_length=100,
        required=False,
        help_text=_("附加的部门数据列（如参保人数）记为该来源，默认为“企业名录导入”"),
    )
    as_of = forms.DateField(
        label=_("数据日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("附加数据列的截至日期，默认今天"),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件"))
        return f

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or clock.today()
