from django import forms

from zhifa.core.forms import DateInput
from zhifa.org.models import Person
from zhifa.procedures.selectors import current_definitions

from .models import CaseSource, PartyKind, PenaltyKind, ProposedOutcome


class OpenCaseForm(forms.Form):
    procedure_code = forms.ChoiceField(label="适用程序")
    title = forms.CharField(label="案由", max_length=200, help_text="如：未按规定储存危险化学品案。")
    source = forms.ChoiceField(label="案件来源", choices=CaseSource.choices)
    facts = forms.CharField(label="涉嫌违法事实", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    place = forms.CharField(label="发生地点", max_length=200, required=False)
    occurred_on = forms.DateField(label="违法行为发生日", required=False, widget=DateInput())
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    party_name = forms.CharField(label="当事人名称或姓名", max_length=200)
    party_id_code = forms.CharField(label="统一社会信用代码或身份证号", max_length=18, required=False)
    party_legal_representative = forms.CharField(label="法定代表人（负责人）", max_length=50, required=False)
    party_address = forms.CharField(label="当事人住所（地址）", max_length=200)
    party_phone = forms.CharField(label="当事人联系电话", max_length=40, required=False)
    officers = forms.ModelMultipleChoiceField(
        label="承办人员", queryset=Person.objects.none(), help_text="不少于两名持有效执法证件的执法人员（含本人）。",
        widget=forms.CheckboxSelectMultiple,
    )
    is_emergency = forms.BooleanField(label="情况紧急，当场实施（行政强制法第十九条）", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure_code"].choices = [(d.code, d.name) for d in current_definitions()]
        if user is not None and user.agency_id:
            self.fields["officers"].queryset = Person.objects.filter(
                agency_id=user.agency_id, is_active=True, credentials__isnull=False
            ).distinct().order_by("full_name")
        self.fields["officers"].label_from_instance = lambda p: f"{p.full_name}（{p.position or p.username}）"

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "procedure_code": d["procedure_code"], "title": d["title"], "source": d["source"], "facts": d["facts"],
            "place": d["place"], "occurred_on": d["occurred_on"], "is_emergency": d["is_emergency"],
            "officers": list(d["officers"]),
            "parties": [{
                "kind": d["party_kind"], "name": d["party_name"], "id_code": d["party_id_code"],
                "legal_representative": d["party_legal_representative"], "address": d["party_address"], "phone": d["party_phone"],
            }],
        }


class ProposalForm(forms.Form):
    outcome = forms.ChoiceField(label="拟处理意见", choices=ProposedOutcome.choices)
    penalty_kinds = forms.MultipleChoiceField(label="处罚种类", choices=PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    confiscation_amount = forms.DecimalField(label="没收金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    legal_basis = forms.CharField(label="处罚依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    to = forms.CharField(max_length=40, widget=forms.HiddenInput)
    note = forms.CharField(label="说明", max_length=500, required=False)


class PartyChoiceForm(forms.Form):
    choice = forms.ChoiceField(choices=[("hearing_requested", "申请听证"), ("hearing_waived", "放弃听证"), ("defence_waived", "明确放弃陈述申辩")])
    note = forms.CharField(max_length=300, required=False)
