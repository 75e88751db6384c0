from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from ecotarget.plans.models import Plan

from .models import Scheme


class SchemeUploadForm(forms.Form):
    workbook = forms.FileField(
        label="评分细则", help_text="Excel 工作簿（.xlsx），列：序号、考核内容、分值、评分标准、牵头单位、责任单位"
    )
    title = forms.CharField(label="考核方案标题", max_length=200)
    level = forms.ChoiceField(label="考核层级", choices=Scheme.Level.choices, initial=Scheme.Level.COUNTY)

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        limit = settings.ECOTARGET_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(f"文件过大（{filesizeformat(upload.size)}），上限为 {filesizeformat(limit)}")
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("只接受 .xlsx 文件")
        return upload


class SchemeCopyForm(forms.Form):
    plan = forms.ModelChoiceField(label="复制到方案", queryset=Plan.objects.none())

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plans


class ItemReviewForm(forms.Form):
    score = forms.DecimalField(
        label="审核得分",
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text="留空则按评分规则计算",
    )
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishedChangeForm(forms.Form):
    """A published score changed: the new score and the reason are both required."""

    score = forms.DecimalField(label="新得分", min_value=Decimal(0), max_digits=6, decimal_places=2)
    reason = forms.CharField(
        label="变更理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "发布后变更得分须写明理由"},
    )


class SelfScoreForm(forms.Form):
    score = forms.DecimalField(label="自评得分", min_value=Decimal(0), max_digits=6, decimal_places=2, required=False)
    note = forms.CharField(label="自评说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
