"""Forms of the progress pages. They only parse and check input; the services decide."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms

from ecotarget.plans.models import Target, Task

from .measured import reported_by_hand
from .models import ChangeRequest, PlanSetup, ProgressReport, WebhookKind
from .services.handout import SetupData
from .services.reporting import ReportData


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    progress = forms.ChoiceField(label="推进情况", choices=ProgressReport.Progress.choices, widget=forms.RadioSelect)
    percent = forms.IntegerField(label="完成比例（%）", min_value=0, max_value=100)
    work_done = forms.CharField(label="工作进展", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label="下步打算", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    instruction_answer = forms.CharField(label="批示落实情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, task: Task, today: date, measured: set[int], **kwargs: Any):
        """`measured`: ids of targets monitoring measures (`measured_target_ids`); they are shown, not asked."""
        super().__init__(*args, **kwargs)
        self.task = task
        self.targets = [t for t in reported_by_hand(task, measured) if t.value is not None]
        for target in self.targets:
            self.fields[f"value_{target.pk}"] = forms.DecimalField(
                label=target.metric, required=False, max_digits=14, decimal_places=4
            )
            self.fields[f"as_of_{target.pk}"] = forms.DateField(
                label="截至", required=False, initial=today, widget=forms.DateInput(attrs={"type": "date"})
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for target in self.targets:
            value, as_of = data.get(f"value_{target.pk}"), data.get(f"as_of_{target.pk}")
            if value is not None and as_of is None:
                self.add_error(f"as_of_{target.pk}", "请填写截至日期")
        return data

    def report_data(self) -> ReportData:
        data = self.cleaned_data
        values: dict[int, tuple[Decimal, date]] = {}
        for target in self.targets:
            value = data.get(f"value_{target.pk}")
            if value is not None:
                values[target.pk] = (value, data[f"as_of_{target.pk}"])
        return ReportData(
            progress=data["progress"],
            percent=data["percent"],
            work_done=data["work_done"],
            problems=data["problems"],
            next_steps=data["next_steps"],
            instruction_answer=data["instruction_answer"],
            values=values,
        )

    def target_fields(self) -> list[tuple[Target, forms.BoundField, forms.BoundField]]:
        return [(t, self[f"value_{t.pk}"], self[f"as_of_{t.pk}"]) for t in self.targets]


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(choices=[("accept", "审核通过"), ("return", "退回修改")])
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SetupForm(forms.ModelForm):
    webhook_url = forms.URLField(label="群机器人地址", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = PlanSetup
        fields = [
            "frequency",
            "due_day",
            "starts_on",
            "lagging_threshold",
            "serious_threshold",
            "risk_margin",
            "reminder_lead_days",
            "webhook_kind",
            "webhook_url",
        ]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}

    def setup_data(self) -> SetupData:
        return SetupData(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label="调整事项", choices=ChangeRequest.Kind.choices)
    # Required in the page too: a browser asks for it before sending, instead of the server after a round trip.
    proposal = forms.CharField(
        label="调整为",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：牵头单位改为住建局；时限延至11月30日"}),
    )
    new_due_on = forms.DateField(label="新的时限", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("grant", "同意"), ("refuse", "不同意")])
    note = forms.CharField(label="意见", required=False)


class ChannelForm(forms.Form):
    webhook_kind = forms.ChoiceField(label="群机器人类型", choices=[("", "—"), *WebhookKind.choices], required=False)
    webhook_url = forms.URLField(label="群机器人地址", required=False, max_length=500, assume_scheme="https")


class HolidayForm(forms.Form):
    notice = forms.CharField(label="通知文号", max_length=100, required=False)
    holidays = forms.CharField(label="放假日期", widget=forms.Textarea(attrs={"rows": 6}))  # help: see __init__
    workdays = forms.CharField(
        label="调休上班日期", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一天：2027-02-14"
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Examples in the page's own year: one typed as shown is accepted.
        self.fields["holidays"].help_text = f"每行一天或一段：{year}-01-01 元旦；{year}-05-01~{year}-05-03 劳动节"
        self.fields["holidays"].widget.attrs["placeholder"] = f"{year}-01-01 元旦\n{year}-05-01~{year}-05-03 劳动节"

    @staticmethod
    def _dates(text: str) -> list[tuple[date, str]]:
        days = []
        for line in text.splitlines():
            parts = line.strip().split(maxsplit=1)
            if not parts:
                continue
            span, name = parts[0], (parts[1] if len(parts) > 1 else "")
            try:
                first, _, last = span.replace("～", "~").partition("~")
                start = date.fromisoformat(first)
                end = date.fromisoformat(last) if last else start
            except ValueError:
                raise forms.ValidationError(f"无法识别的日期：{span}") from None
            if end < start or (end - start).days > 15:
                raise forms.ValidationError(f"日期段不合理：{span}")
            days += [(start + timedelta(days=i), name) for i in range((end - start).days + 1)]
        return days

    def clean_holidays(self) -> list[tuple[date, str]]:
        return self._dates(self.cleaned_data["holidays"])

    def clean_workdays(self) -> list[date]:
        return [d for d, _ in self._dates(self.cleaned_data["workdays"])]
