"""Forms of the organisation pages. They only parse and check input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model

from .models import Region, Unit
from .services import DUTIES, Person
from .workbooks import DirectoryRow

NO_UNIT = "0"


class HandOverForm(forms.Form):
    name = forms.CharField(label="接任人姓名", max_length=50)
    username = forms.CharField(label="接任人账号", max_length=150, required=False, help_text="留空则只登记，不分配账号")
    create_account = forms.BooleanField(
        label="新建此账号", required=False, help_text="账号尚不存在时勾选：同时建立账号，初始密码只显示一次"
    )
    phone = forms.CharField(label="电话", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    on = forms.DateField(label="交接日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean(self):
        data = super().clean() or {}
        username, create = data.get("username", ""), data.get("create_account", False)
        data["user"] = None
        if not username:
            if create:
                self.add_error("username", "请填写要新建的账号")
            return data
        user = get_user_model().objects.filter(username=username).first()
        if create and user is not None:
            self.add_error("username", "账号已存在：不要勾选“新建此账号”")
        elif not create and user is None:
            self.add_error("username", "没有这个账号（勾选“新建此账号”可同时建立）")
        data["user"] = user
        return data

    @property
    def creates_account(self) -> bool:
        return bool(self.cleaned_data.get("create_account"))

    def successor(self) -> Person:
        data = self.cleaned_data
        return Person(name=data["name"], user=data["user"], phone=data["phone"], email=data["email"])

    def entry(self, unit: Unit, duty: str) -> DirectoryRow:
        """The successor as a new account's row (the account is created for the post)."""
        data = self.cleaned_data
        return DirectoryRow(
            row=0,
            unit=unit.name,
            name=data["name"],
            duty=duty,
            phone=data["phone"],
            email=data["email"],
            username=data["username"],
        )


class AccountForm(forms.Form):
    """One person added by the coordinator: the 通讯录's columns, the unit chosen from the region's."""

    unit = forms.ChoiceField(label="单位")
    name = forms.CharField(label="姓名", max_length=50)
    duty = forms.ChoiceField(label="职务", choices=[(label, label) for label in DUTIES])
    phone = forms.CharField(label="手机", max_length=30, required=False)
    email = forms.EmailField(label="邮箱", required=False)
    username = forms.CharField(label="账号", max_length=150, help_text="登录名，如手机号或姓名拼音")

    # The service's issues name the 通讯录's columns; here each goes to its field.
    FIELD_OF_COLUMN = {
        "单位": "unit",
        "姓名": "name",
        "职务": "duty",
        "手机": "phone",
        "邮箱": "email",
        "账号": "username",
    }

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(region=region).exclude(kind=Unit.Kind.GROUP).order_by("kind", "order", "name")
        self.units = {str(u.pk): u for u in units}
        choices = [(pk, f"{u.name}（{u.get_kind_display()}）") for pk, u in self.units.items()]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [*choices, (NO_UNIT, "不属于单位（县领导、管理员）")]

    def entry(self) -> DirectoryRow:
        data = self.cleaned_data
        unit = self.units.get(data["unit"])
        return DirectoryRow(
            row=0,
            unit=unit.name if unit is not None else "",
            name=data["name"],
            duty=data["duty"],
            phone=data["phone"],
            email=data["email"],
            username=data["username"],
        )


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(label="通讯录（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class SetupForm(forms.Form):
    """The first run: the one-time token from the server, the region file, the first coordinator."""

    token = forms.CharField(label="安装口令", max_length=100, help_text="服务器上 setup-token 文件里的一次性口令")
    region_file = forms.FileField(
        label="行政区文件（.xlsx 或 .json）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"})
    )
    username = forms.CharField(label="管理员账号", max_length=150)
    full_name = forms.CharField(label="管理员姓名", max_length=50)
    unit = forms.CharField(label="所在单位", max_length=50, required=False, help_text="选填，如 生态环境局")
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data
