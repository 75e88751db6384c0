from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from . import indicators
from .models import ImportBatch, IndicatorBinding


class DataUploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=ImportBatch.Kind.choices)
    document = forms.FileField(
        label="数据文件", help_text="CSV 或 Excel（.xlsx）：国家小时数据存档格式、省平台导出格式或长表格式"
    )
    accept_partial = forms.BooleanField(label="有错误行时，仍导入正确的行（错误行列在报告中）", required=False)

    def clean_document(self):
        upload = self.cleaned_data["document"]
        limit = settings.ECOTARGET_MAX_DATA_BYTES
        if upload.size > limit:
            raise ValidationError(f"文件过大（{filesizeformat(upload.size)}），上限为 {filesizeformat(limit)}")
        return upload


class ExclusionForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="原因", max_length=200)


class AnnualFigureForm(forms.Form):
    indicator = forms.ChoiceField(label="指标", choices=indicators.choices)
    scope = forms.CharField(label="范围", max_length=30, required=False, help_text="空 = 全部")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="数值", max_digits=12, decimal_places=4)
    source = forms.CharField(label="来源", max_length=200)


class BindingForm(forms.Form):
    """Where one target's value comes from: typed by its units, or computed from monitoring data. Posted back
    unchanged it changes nothing; 由责任单位填报 on a measured target unbinds it, with the reason (the service
    refuses an unbinding without one)."""

    indicator = forms.ChoiceField(
        label="数据来源", choices=lambda: [("", "由责任单位填报"), *indicators.choices()], required=False
    )
    scope = forms.ChoiceField(label="范围", choices=indicators.scope_choices, required=False)
    edition = forms.ChoiceField(label="标准版本", choices=IndicatorBinding.Edition.choices)
    reason = forms.CharField(
        label="改为填报的原因",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "改为由责任单位填报时填写"}),
    )
