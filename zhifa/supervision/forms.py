from django import forms

from zhifa.org.models import Person

from .models import ClueStatus


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
