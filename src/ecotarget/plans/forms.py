"""Forms for the plan pages: the document upload and the task editor."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from ecotarget.organisation.models import Unit

from .models import Assignment, Target

PLAN_FILE_SUFFIXES = (".txt", ".docx", ".xlsx", ".html", ".htm")


class PlanUploadForm(forms.Form):
    document = forms.FileField(
        label="方案文件",
        help_text="纯文本（.txt）、Word（.docx）、Excel 任务分解表（.xlsx）或从政府网站保存的网页（.html）",
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        limit = settings.ECOTARGET_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(f"文件过大（{filesizeformat(upload.size)}），上限为 {filesizeformat(limit)}")
        if not upload.name.lower().endswith(PLAN_FILE_SUFFIXES):
            raise ValidationError("只接受 .txt、.docx、.xlsx、.html 文件")
        return upload


class TaskTextForm(forms.Form):
    text = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 4}))


ROLE_CHOICES = [("", "—"), (Assignment.Role.LEAD, "牵头"), (Assignment.Role.CO, "配合")]


class TaskUnitsForm(forms.Form):
    """One role choice per unit of the region; the order of the saved owners is lead first, then region order."""

    def __init__(self, *args, units: list[Unit], initial_roles: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"unit_{unit.pk}"] = forms.ChoiceField(
                label=unit.name, choices=ROLE_CHOICES, required=False, initial=initial_roles.get(unit.pk, "")
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(data.get(f"unit_{u.pk}") == Assignment.Role.LEAD for u in self.units):
            raise ValidationError("至少选择一个牵头单位")
        return data

    def owners(self, previous_order: dict[int, int]) -> list[tuple[Unit, str]]:
        chosen = [(u, self.cleaned_data[f"unit_{u.pk}"]) for u in self.units if self.cleaned_data[f"unit_{u.pk}"]]
        chosen.sort(key=lambda pair: (pair[1] != Assignment.Role.LEAD, previous_order.get(pair[0].pk, 10_000)))
        return chosen

    def unit_fields(self):
        return [(unit, self[f"unit_{unit.pk}"]) for unit in self.units]


class TargetForm(forms.Form):
    metric = forms.CharField(
        label="指标", max_length=200, error_messages={"required": "请填写指标名称；不需要这一行请清空或勾选删除"}
    )
    # A select always posts an option; giving the blank extra row the option a browser selects first keeps an
    # untouched row "unchanged", so the formset skips it instead of asking for its metric and value.
    op = forms.ChoiceField(label="比较", choices=Target.Op.choices, initial=Target.Op.choices[0][0])
    value = forms.DecimalField(label="目标值", required=False, max_digits=14, decimal_places=4)
    measure_unit = forms.CharField(label="计量单位", max_length=30, required=False)
    baseline = forms.ChoiceField(label="基准", choices=[("", "—"), *Target.Baseline.choices], required=False)
    reduction = forms.BooleanField(label="为降幅", required=False)
    source_text = forms.CharField(widget=forms.HiddenInput, required=False)
    # The stored target a row edits: a reworded target stays the same target, with its binding and reported values.
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("value") is None and not data.get("baseline"):
            raise ValidationError("请填写目标值，或选择比较基准（上年 / 近三年平均）")
        return data


class DeadlineForm(forms.Form):
    due_on = forms.DateField(
        label="时限",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写时限日期；不需要这一行请清空或勾选删除"},
    )
    what = forms.CharField(label="节点内容", max_length=300, required=False)


TargetFormSet = forms.formset_factory(TargetForm, extra=1, can_delete=True)
DeadlineFormSet = forms.formset_factory(DeadlineForm, extra=1, can_delete=True)


def kept_rows(formset: forms.BaseFormSet) -> list[dict]:
    """The filled, not-deleted rows of a valid formset, without the formset's own bookkeeping fields."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
