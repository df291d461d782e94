from django import forms

from zhifa.core.forms import DateInput
from zhifa.org.models import Person
from zhifa.procedures.selectors import current_definitions

from .models import CaseSource, MajorGround, PartyKind, PauseKind, PaymentArrangement, PenaltyKind, ProposedOutcome

PARTY_SLOTS = ("party", "party2", "party3")  # the first is required; more can be added on the case page later


def _party_fields(prefix: str, required: bool) -> dict:
    n = "" if prefix == "party" else f"（{prefix[-1]}）"
    return {
        f"{prefix}_kind": forms.ChoiceField(label=f"当事人{n}类型", choices=[("", "—")] + list(PartyKind.choices), required=required),
        f"{prefix}_name": forms.CharField(label=f"当事人{n}名称或姓名", max_length=200, required=required),
        f"{prefix}_id_code": forms.CharField(label=f"当事人{n}统一社会信用代码或身份证号", max_length=18, required=False),
        f"{prefix}_legal_representative": forms.CharField(label=f"当事人{n}法定代表人（负责人）", max_length=50, required=False),
        f"{prefix}_address": forms.CharField(label=f"当事人{n}住所（地址）", max_length=200, required=required),
        f"{prefix}_phone": forms.CharField(label=f"当事人{n}联系电话", max_length=40, required=False),
    }


class OpenCaseForm(forms.Form):
    procedure_code = forms.ChoiceField(label="适用程序")
    title = forms.CharField(label="案由", max_length=200, help_text="如：未按规定储存危险化学品案。")
    source = forms.ChoiceField(label="案件来源", choices=CaseSource.choices)
    facts = forms.CharField(label="涉嫌违法事实", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    place = forms.CharField(label="发生地点", max_length=200, required=False)
    occurred_on = forms.DateField(label="违法行为发生日", required=False, widget=DateInput(), help_text="行政处罚案件必填，用于核对追责期限（行政处罚法第三十六条）。")
    is_continuing = forms.BooleanField(label="违法行为有连续或者继续状态", required=False)
    act_ended_on = forms.DateField(label="连续或继续状态终了日", required=False, widget=DateInput(), help_text="仍在持续的，不填。")
    discovered_on = forms.DateField(label="发现日期", required=False, widget=DateInput(), help_text="不填即为今天。")
    serious_harm = forms.BooleanField(label="涉及公民生命健康安全、金融安全且有危害后果（追责期限五年）", required=False)
    limitation_note = forms.CharField(label="超过追责期限仍立案的理由", max_length=300, required=False, help_text="仅在法律另有规定等情形下填写。")
    officers = forms.ModelMultipleChoiceField(
        label="承办人员", queryset=Person.objects.none(), help_text="不少于两名持有效执法证件的执法人员（含本人）。",
        widget=forms.CheckboxSelectMultiple,
    )
    is_emergency = forms.BooleanField(label="情况紧急，当场实施（行政强制法第十九条）", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for i, prefix in enumerate(PARTY_SLOTS):
            self.fields.update(_party_fields(prefix, required=(i == 0)))
        self.fields["procedure_code"].choices = [(d.code, d.name) for d in current_definitions()]
        if user is not None and user.agency_id:
            self.fields["officers"].queryset = Person.objects.filter(
                agency_id=user.agency_id, is_active=True, credentials__isnull=False
            ).distinct().order_by("full_name")
        self.fields["officers"].label_from_instance = lambda p: f"{p.full_name}（{p.position or p.username}）"

    def party_groups(self):
        """[(heading, [bound fields])] for the template: the first party open, the others folded."""
        return [
            ("当事人" if i == 0 else f"另一名当事人（{i + 1}）", [self[name] for name in self.fields if name.startswith(prefix + "_")])
            for i, prefix in enumerate(PARTY_SLOTS)
        ]

    def case_fields(self):
        return [self[name] for name in self.fields if not name.startswith(tuple(p + "_" for p in PARTY_SLOTS))]

    def clean(self):
        d = super().clean()
        for prefix in PARTY_SLOTS[1:]:
            given = any(d.get(f"{prefix}_{k}") for k in ("kind", "name", "address", "id_code"))
            if given:
                for key, label in (("kind", "类型"), ("name", "名称或姓名"), ("address", "住所（地址）")):
                    if not d.get(f"{prefix}_{key}"):
                        self.add_error(f"{prefix}_{key}", f"填写了另一名当事人的，应当填写其{label}。")
        return d

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        parties = []
        for prefix in PARTY_SLOTS:
            if d.get(f"{prefix}_name"):
                parties.append({
                    "kind": d[f"{prefix}_kind"], "name": d[f"{prefix}_name"], "id_code": d[f"{prefix}_id_code"],
                    "legal_representative": d[f"{prefix}_legal_representative"], "address": d[f"{prefix}_address"],
                    "phone": d[f"{prefix}_phone"],
                })
        return {
            "procedure_code": d["procedure_code"], "title": d["title"], "source": d["source"], "facts": d["facts"],
            "place": d["place"], "occurred_on": d["occurred_on"], "is_emergency": d["is_emergency"],
            "is_continuing": d["is_continuing"], "act_ended_on": d["act_ended_on"], "discovered_on": d["discovered_on"],
            "serious_harm": d["serious_harm"], "limitation_note": d["limitation_note"],
            "officers": list(d["officers"]), "parties": parties,
        }


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=PartyKind.choices)
    name = forms.CharField(label="名称或姓名", max_length=200)
    id_code = forms.CharField(label="统一社会信用代码或身份证号", max_length=18, required=False)
    legal_representative = forms.CharField(label="法定代表人（负责人）", max_length=50, required=False)
    address = forms.CharField(label="住所（地址）", max_length=200)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)


class ProposalForm(forms.Form):
    outcome = forms.ChoiceField(label="拟处理意见", choices=ProposedOutcome.choices)
    penalty_kinds = forms.MultipleChoiceField(label="处罚种类", choices=PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    confiscation_amount = forms.DecimalField(label="没收金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    legal_basis = forms.CharField(label="处罚依据", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    renotify = forms.BooleanField(label="已告知后加重处罚的，重新告知当事人", required=False)
    reason = forms.CharField(label="重新告知的理由（新查明的事实）", max_length=300, required=False)


class MarkForm(forms.Form):
    ground = forms.ChoiceField(label="情形", choices=MajorGround.choices)
    reason = forms.CharField(label="理由", max_length=500)


class UnmarkForm(forms.Form):
    mark_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    reason = forms.CharField(label="取消理由", max_length=500)


class PauseForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    kind = forms.ChoiceField(label="不计入的事项", choices=PauseKind.choices)
    start_date = forms.DateField(label="起始日", widget=DateInput())
    reason = forms.CharField(label="说明", max_length=300)


class ResumeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    end_date = forms.DateField(label="终止日", widget=DateInput())


class ExtendForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    reason = forms.CharField(label="延长理由", max_length=300)


class RecusalForm(forms.Form):
    person = forms.IntegerField(label="回避的执法人员", min_value=1, max_value=2**53)
    applicant = forms.ChoiceField(label="申请人", choices=[("party", "当事人申请"), ("officer", "执法人员自行申请")])
    reason = forms.CharField(label="回避理由", max_length=300)
    replacement = forms.IntegerField(label="接替人员", min_value=1, max_value=2**53, required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="缴款日期", widget=DateInput())
    amount = forms.DecimalField(label="缴款金额（元）", min_value=0, max_digits=14, decimal_places=2)
    receipt_number = forms.CharField(label="缴款凭证号", max_length=60)


class ArrangementForm(forms.Form):
    kind = forms.ChoiceField(label="方式", choices=PaymentArrangement.Kind.choices)
    schedule = forms.CharField(
        label="缴纳安排", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一期：日期 金额，如“2026-03-01 5000”。延期缴纳只写一行。",
    )
    reason = forms.CharField(label="理由", max_length=300)

    def clean_schedule(self):
        rows = []
        for line in self.cleaned_data["schedule"].splitlines()[:40]:
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError("每行应为“日期 金额”，如“2026-03-01 5000”。")
            rows.append(parts)
        return rows


class MoveForm(forms.Form):
    to = forms.CharField(max_length=40, widget=forms.HiddenInput)
    note = forms.CharField(label="说明", max_length=500, required=False)


class PartyChoiceForm(forms.Form):
    choice = forms.ChoiceField(choices=[("hearing_requested", "申请听证"), ("hearing_waived", "放弃听证"), ("defence_waived", "明确放弃陈述申辩")])
    note = forms.CharField(max_length=300, required=False)


class ThresholdForm(forms.Form):
    region_prefix = forms.CharField(label="行政区划代码前缀", max_length=6, required=False, help_text="如 33（浙江省）、3304（嘉兴市）；不填为全国。")
    sector = forms.CharField(label="执法领域", max_length=50, required=False, help_text="与执法主体的“执法领域”一致，如 应急管理；不填为所有领域。")
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    fine_amount = forms.DecimalField(label="较大数额罚款（元）", min_value=0, max_digits=14, decimal_places=2)
    confiscation_amount = forms.DecimalField(label="较大数额没收（元）", required=False, min_value=0, max_digits=14, decimal_places=2,
                                             help_text="不填时与罚款相同。")
    basis = forms.CharField(label="依据", max_length=300)
