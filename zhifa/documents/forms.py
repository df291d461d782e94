from django import forms

from zhifa.core.forms import DateInput

from . import specs
from .models import ServiceManner, SignatureOutcome


class DocumentContentForm(forms.Form):
    """The fields of one document type, built from specs.py."""

    def __init__(self, *args, doc_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        for f in specs.fields(doc_type):
            widget = forms.Textarea(attrs={"rows": 4}) if f.long else DateInput() if f.kind == "date" else forms.TextInput()
            self.fields[f.key] = forms.CharField(label=f.label, required=False, max_length=20000, widget=widget)


class SignatureForm(forms.Form):
    outcome = forms.ChoiceField(label="签名情况", choices=SignatureOutcome.choices)
    note = forms.CharField(label="注明情况（拒绝签名时必填）", max_length=300, required=False)
    witness = forms.CharField(label="见证人", max_length=100, required=False)
    signed_on = forms.DateField(label="签名（送达）日期", required=False, widget=DateInput())


class ServiceForm(forms.Form):
    manner = forms.ChoiceField(label="送达方式", choices=ServiceManner.choices)
    act_on = forms.DateField(label="送达日期", widget=DateInput(), help_text="交付、留置、签收、电子送达到达或公告发布之日；公告送达自公告之日起经过三十日视为送达。")
    recipient = forms.CharField(label="受送达人", max_length=200, required=False, help_text="不填即为全部当事人。")
    place = forms.CharField(label="送达地点或途径（公告送达写公告载体）", max_length=200, required=False)
    witnesses = forms.CharField(label="见证人（留置送达必填）", max_length=200, required=False)
    note = forms.CharField(label="说明（邮寄写单号，电子送达写确认书及地址）", max_length=500, required=False)
