from django import forms

from zhifa.cases.models import PenaltyKind
from zhifa.procedures.definitions import CATEGORIES

from .models import CHECKLIST, Criterion, ReviewStatus


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="审核结论", choices=[(v, l) for v, l in ReviewStatus.choices if v in ("passed", "corrected", "transferred")]
    )
    opinion = forms.CharField(label="审核意见及理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)

    def checklist(self) -> dict:
        return {key: self.cleaned_data.get(f"check_{key}", False) for key, _ in CHECKLIST}


class EscalateForm(forms.Form):
    reason = forms.CharField(label="提交集体讨论的理由", max_length=500)


class RuleForm(forms.Form):
    name = forms.CharField(label="目录事项", max_length=200)
    criterion = forms.ChoiceField(label="判断标准", choices=Criterion.choices)
    amount = forms.DecimalField(label="金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    values = forms.MultipleChoiceField(
        label="处罚种类或执法类别", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[*PenaltyKind.choices, *CATEGORIES.items()],
    )
    basis = forms.CharField(label="依据", max_length=300)
