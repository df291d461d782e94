from django import forms

from zhifa.core.forms import DateInput

from .models import WithdrawalTrigger


class WithdrawForm(forms.Form):
    trigger = forms.ChoiceField(label="撤回事由", choices=WithdrawalTrigger.choices)
    trigger_date = forms.DateField(label="决定被变更、撤销等的日期", widget=DateInput())
    reason = forms.CharField(label="撤回理由（将公开）", max_length=500)


class ReleaseForm(forms.Form):
    secret_marks = forms.CharField(
        label="需隐去的商业秘密（每行一项）", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="经审核认定的商业秘密原文，公开文本中将替换为“【商业秘密已隐去】”。",
    )

    def marks(self) -> list[str]:
        return [line for line in self.cleaned_data["secret_marks"].splitlines() if line.strip()]
