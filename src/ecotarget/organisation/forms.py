"""Forms of the organisation pages. They only parse and check input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model

from .services import Person


class HandOverForm(forms.Form):
    name = forms.CharField(label="接任人姓名", max_length=50)
    username = forms.CharField(label="接任人账号", max_length=150, required=False, help_text="留空则只登记，不分配账号")
    phone = forms.CharField(label="电话", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    on = forms.DateField(label="交接日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError("没有这个账号")
        return user

    def successor(self) -> Person:
        data = self.cleaned_data
        return Person(name=data["name"], user=data["username"], phone=data["phone"], email=data["email"])
