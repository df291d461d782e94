from django import forms

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
