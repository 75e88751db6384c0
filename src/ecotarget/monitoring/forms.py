from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .models import ImportBatch


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
