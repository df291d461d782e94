from django import forms

from zhifa.org.models import Person

from .models import ClueStatus, DirectiveKind


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label="交办给", queryset=Person.objects.none(), help_text="该执法主体的负责人或承办人员。")
    workdays_to_reply = forms.IntegerField(label="答复期限（工作日）", min_value=1, max_value=60, initial=10)
    note = forms.CharField(label="交办意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = people if people is not None else Person.objects.none()


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label="答复", choices=[(ClueStatus.CORRECTED, "已整改"), (ClueStatus.EXPLAINED, "说明情况（认为不存在问题）")])
    text = forms.CharField(label="整改情况或情况说明", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(forms.Form):
    note = forms.CharField(label="办结意见", max_length=500)


class DirectiveForm(forms.Form):
    agency = forms.ModelChoiceField(label="被监督执法主体", queryset=None)
    kind = forms.ChoiceField(label="文书", choices=DirectiveKind.choices)
    case_number = forms.CharField(label="案件编号", max_length=60, required=False, help_text="针对某一案件的，填写案件编号。")
    subject = forms.CharField(label="事由", max_length=300)
    content = forms.CharField(label="监督意见及要求", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    basis = forms.CharField(label="依据", max_length=300)
    reply_workdays = forms.IntegerField(label="答复期限（工作日）", min_value=1, max_value=60, initial=10)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReplyForm(forms.Form):
    text = forms.CharField(label="整改情况或情况说明", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(label="审核", choices=[("1", "同意办结"), ("0", "退回重新答复")], coerce=lambda v: v == "1")
    note = forms.CharField(label="审核意见", max_length=500)
