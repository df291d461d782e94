from django import forms
from django.conf import settings

from zhifa.core.forms import DateInput
from zhifa.core.roles import Role

from .models import Agency, Credential, CredentialStatus, Person
from .services import AGENCY_FIELDS, CREDENTIAL_FIELDS, PERSON_FIELDS


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = AGENCY_FIELDS


class PersonForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(
        label="初始密码", required=False, widget=forms.PasswordInput, help_text="留空则该人员不能登录系统。"
    )

    class Meta:
        model = Person
        fields = ["username", *PERSON_FIELDS]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
            self.fields["department"].queryset = self.fields["department"].queryset.filter(agency__in=agencies)
        if self.instance.pk:
            self.fields["username"].disabled = True
            self.fields["roles"].initial = sorted(self.instance.role_codes)
            del self.fields["password"]


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ["person", *CREDENTIAL_FIELDS]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class CredentialStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=CredentialStatus.choices)
    reason = forms.CharField(label="原因", required=False, max_length=200)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), max_length=128)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), max_length=128,
                                   help_text="至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 类，不能与最近 5 次用过的密码相同。")
    confirm = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), max_length=128)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("confirm") and data["new_password"] != data["confirm"]:
            self.add_error("confirm", "两次输入的新密码不一致。")
        data.pop("confirm", None)
        return data


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="验证码", max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="手机验证器显示的 6 位数字；手机不在身边时，可输入一个恢复码。",
    )


class ApiTokenForm(forms.Form):
    label = forms.CharField(label="用途", max_length=60, required=False, help_text="如“与市级平台对接”，便于日后辨认。")
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=100000)  # the service holds the real limit

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.ZHIFA_API_TOKEN_DAYS
        self.fields["days"].help_text = f"最长 {settings.ZHIFA_API_TOKEN_MAX_DAYS} 天，到期自动失效。"
