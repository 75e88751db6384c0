from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Target, Task
from ecotarget.scoring import rules
from ecotarget.scoring.numbers import plain

from .models import Scheme, SchemeItem


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


def _decimal_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_digits=8, decimal_places=3, required=False, help_text=help_text
    )


class ItemEditForm(forms.Form):
    """An item of the scheme as an office writes it: its wording, points, how it is scored — each kind's
    parameters as labelled fields, not JSON — and the plan's tasks, targets and units it is mapped to. Only the
    chosen kind's fields are read (`params`); the scoring core checks them when the service keeps the item."""

    content = forms.CharField(label="考核内容", widget=forms.Textarea(attrs={"rows": 2}))
    standard = forms.CharField(label="评分标准（原文）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.DecimalField(label="分值", min_value=Decimal(0), max_digits=6, decimal_places=2)
    kind = forms.ChoiceField(label="评分方式", choices=[(k.value, k.label) for k in rules.Kind])
    # 按差距扣分
    gap_metric = forms.CharField(label="指标名称", required=False, max_length=100)
    gap_direction = forms.ChoiceField(
        label="方向",
        required=False,
        choices=[(rules.Direction.LOWER.value, "越低越好（浓度）"), (rules.Direction.HIGHER.value, "越高越好（比例）")],
    )
    gap_step = _decimal_field("每差", "如 1（微克/立方米）或 1（个百分点）")
    gap_per_step = _decimal_field("扣分", "每差一档扣的分数")
    gap_target = _decimal_field("目标值", "留空则取对应指标的目标值")
    gap_unit = forms.CharField(label="计量单位", required=False, max_length=30)
    gap_steps = forms.ChoiceField(
        label="不足一档",
        required=False,
        choices=[
            (rules.Steps.PROPORTIONAL.value, "按比例扣分"),
            (rules.Steps.WHOLE.value, "不扣"),
            (rules.Steps.STARTED.value, "按一档计"),
        ],
    )
    gap_basis = forms.ChoiceField(
        label="考核口径",
        required=False,
        choices=[(rules.Basis.ANNUAL.value, "按年均值"), (rules.Basis.MONTHLY.value, "按月考核，逐月累计扣分")],
    )
    gap_annual_cancels = forms.BooleanField(label="年均值达到目标的，不扣月度分", required=False)
    # 按次扣分
    events_categories = forms.CharField(
        label="扣分情形",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一类：情形名称和每次扣分，以空格分隔，如“不达标 5”",
    )
    events_per = forms.ChoiceField(
        label="计次方式",
        required=False,
        choices=[(rules.Per.MONTH.value, "按月次"), (rules.Per.OCCURRENCE.value, "按次")],
    )
    events_cap = _decimal_field("最多扣", "留空则扣完分值为止")
    events_annual_cancels = forms.BooleanField(label="年均值达到目标的，不扣月度分", required=False)
    # 按完成情况评分
    completion_late = _decimal_field("逾期完成扣分")
    # 加分、惩罚性扣分
    bonus_cap = _decimal_field("最高加分", "留空则以分值为上限")
    penalty_each = _decimal_field("每次扣分", "留空则按情形核定")
    penalty_cap = _decimal_field("最多扣", "留空则以分值为上限")
    # 对应
    tasks = forms.ModelMultipleChoiceField(
        label="对应任务", queryset=Task.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    targets = forms.ModelMultipleChoiceField(
        label="对应指标", queryset=Target.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    units = forms.ModelMultipleChoiceField(
        label="责任单位（不选则考核全部被考核单位）",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    KIND_FIELDS = {
        rules.Kind.GAP: [
            *("gap_metric", "gap_direction", "gap_step", "gap_per_step", "gap_target", "gap_unit"),
            *("gap_steps", "gap_basis", "gap_annual_cancels"),
        ],
        rules.Kind.EVENTS: ["events_categories", "events_per", "events_cap", "events_annual_cancels"],
        rules.Kind.COMPLETION: ["completion_late"],
        rules.Kind.BONUS: ["bonus_cap"],
        rules.Kind.PENALTY: ["penalty_each", "penalty_cap"],
    }

    def __init__(self, *args, item: SchemeItem, **kwargs):
        plan = item.part.scheme.plan
        kwargs.setdefault("initial", self.initial_of(item))
        super().__init__(*args, **kwargs)
        choices = {
            "tasks": Task.objects.filter(plan=plan).order_by("number"),
            "targets": Target.objects.filter(task__plan=plan).select_related("task").order_by("task__number", "order"),
            "units": Unit.objects.filter(region_id=plan.region_id).order_by("kind", "order", "name"),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
        self.fields["tasks"].label_from_instance = lambda t: f"任务{t.number} {t.text[:40]}"  # type: ignore[attr-defined]
        self.fields["targets"].label_from_instance = lambda t: f"任务{t.task.number}：{t.describe()}"  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(item: SchemeItem) -> dict:
        p = item.params or {}
        initial: dict = {"content": item.content, "standard": item.standard, "points": item.points, "kind": item.kind}
        prefix = item.kind + "_"
        for key, value in p.items():
            if key == "categories" and isinstance(value, list):
                initial["events_categories"] = "\n".join(f"{c.get('name', '')} {c.get('points', '')}" for c in value)
            else:
                initial[prefix + key] = value
        if item.pk:
            initial["tasks"] = list(item.tasks.values_list("pk", flat=True))
            initial["targets"] = list(item.targets.values_list("pk", flat=True))
            initial["units"] = list(item.units.values_list("pk", flat=True))
        return initial

    def clean_events_categories(self) -> list[dict[str, str]]:
        rows = []
        for n, line in enumerate(self.cleaned_data.get("events_categories", "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _, points = line.strip().rpartition(" ")
            if not name.strip() or not points:
                raise ValidationError(f"扣分情形第{n}行应为“情形名称 扣分”，如“不达标 5”")
            rows.append({"name": name.strip(), "points": points})
        return rows

    def params(self) -> dict[str, object]:
        """The chosen kind's parameters as `scoring.rules.parse_rule` reads them."""
        kind = rules.Kind(self.cleaned_data["kind"])
        prefix = kind.value + "_"
        out: dict[str, object] = {}
        for name in self.KIND_FIELDS.get(kind, []):
            value = self.cleaned_data.get(name)
            key = name.removeprefix(prefix)
            if isinstance(value, bool):
                out[key] = value
            elif isinstance(value, Decimal):
                out[key] = plain(value)
            elif value not in (None, "", []):
                out[key] = value
        return out
