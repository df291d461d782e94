from django import forms

from zhifa.core.forms import DateInput

from .models import RetentionScheme, WithdrawalTrigger


class RevocationForm(forms.Form):
    trigger = forms.ChoiceField(label="事由", choices=WithdrawalTrigger.choices)
    trigger_date = forms.DateField(label="决定被变更、撤销等的日期", widget=DateInput())
    reason = forms.CharField(label="文书及理由（如复议决定书文号；撤回时公开）", max_length=500)


class WithdrawForm(forms.Form):
    """Withdrawal; the trigger fields are needed only when no revocation was recorded before."""

    trigger = forms.ChoiceField(label="撤回事由", choices=[("", "（已登记的事由）")] + list(WithdrawalTrigger.choices), required=False)
    trigger_date = forms.DateField(label="决定被变更、撤销等的日期", widget=DateInput(), required=False)
    reason = forms.CharField(label="撤回理由（将公开）", max_length=500)


class CorrectionForm(forms.Form):
    party_name = forms.CharField(label="执法对象", max_length=200, required=False)
    conclusion = forms.CharField(label="执法结论", max_length=500, required=False)
    basis = forms.CharField(label="依据", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label="决定内容", required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 8}))
    note = forms.CharField(label="更正说明（将公开）", max_length=500)


class SettingForm(forms.Form):
    scheme = forms.ChoiceField(label="公示期限规则", choices=RetentionScheme.choices, widget=forms.RadioSelect)
    low_fine_amount = forms.DecimalField(
        label="较低数额罚款（元，市场监管规则适用）", required=False, min_value=0, max_digits=14, decimal_places=2,
        help_text="按省级市场监管部门的规定填写；不填则只有通报批评（警告）公示三个月。",
    )
    low_fine_basis = forms.CharField(label="较低数额标准的依据", max_length=300, required=False)


class ReleaseForm(forms.Form):
    secret_marks = forms.CharField(
        label="需隐去的商业秘密（每行一项）", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="经审核认定的商业秘密原文，公开文本中将替换为“【商业秘密已隐去】”。",
    )

    def marks(self) -> list[str]:
        return [line for line in self.cleaned_data["secret_marks"].splitlines() if line.strip()]
