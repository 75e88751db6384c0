"""The 监测点位 page's forms: a station's particulars, its retirement, and a station file to load."""

from dataclasses import fields

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .models import Station
from .stations import MAX_FILE_BYTES, StationFields


class StationForm(forms.Form):
    code = forms.CharField(
        label="编码",
        max_length=30,
        help_text="数据文件中的点位编码（如国家发布数据的 stationcode）",
        widget=forms.TextInput(attrs={"placeholder": "JL-A03"}),
    )
    name = forms.CharField(label="名称", max_length=100, widget=forms.TextInput(attrs={"placeholder": "县政府站"}))
    medium = forms.ChoiceField(label="介质", choices=Station.Medium.choices)
    level = forms.ChoiceField(label="类别/级别", choices=Station.Level.choices, initial=Station.Level.COUNTY)
    evaluates_city = forms.BooleanField(
        label="参与城市（县）评价", required=False, initial=True, help_text="对照点不参与（只用于空气点位）"
    )
    water_kind = forms.ChoiceField(label="水体类型", choices=[("", "—"), *Station.WaterKind.choices], required=False)
    water_body = forms.CharField(label="河流/湖库", max_length=50, required=False)
    basin = forms.CharField(label="流域", max_length=50, required=False)
    drinking_scale = forms.ChoiceField(
        label="水源地规模", choices=[("", "—"), *Station.DrinkingScale.choices], required=False
    )
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    source = forms.CharField(label="来源", max_length=200, required=False, help_text="如：县生态环境局点位清单")

    @classmethod
    def of(cls, station: Station, **kwargs) -> "StationForm":
        return cls(initial=vars(StationFields.of(station)), **kwargs)

    def values(self) -> StationFields:
        data = dict(self.cleaned_data)
        # Only air stations can be reference points; a section's box is not its to untick.
        data["evaluates_city"] = data["evaluates_city"] or data["medium"] != Station.Medium.AIR
        return StationFields(**{f.name: data[f.name] for f in fields(StationFields)})


class RetireForm(forms.Form):
    reason = forms.CharField(
        label="停用原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "点位撤销"})
    )


class StationFileForm(forms.Form):
    document = forms.FileField(
        label="点位清单文件",
        help_text="CSV 或 Excel（.xlsx）：点位编码、点位名称、所属区域、类别、介质、断面级别、河流/湖库、纬度、经度",
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(f"文件过大（{filesizeformat(upload.size)}），上限为 {filesizeformat(MAX_FILE_BYTES)}")
        return upload
