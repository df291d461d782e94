from django import forms

from zhifa.core.forms import DateInput

from . import specs
from .models import SignatureOutcome


class DocumentContentForm(forms.Form):
    """The fields of one document type, built from specs.py."""

    def __init__(self, *args, doc_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        for f in specs.fields(doc_type):
            widget = forms.Textarea(attrs={"rows": 4}) if f.long else forms.TextInput()
            self.fields[f.key] = forms.CharField(label=f.label, required=False, max_length=20000, widget=widget)


class SignatureForm(forms.Form):
    outcome = forms.ChoiceField(label="签名情况", choices=SignatureOutcome.choices)
    note = forms.CharField(label="注明情况（拒绝签名时必填）", max_length=300, required=False)
    witness = forms.CharField(label="见证人", max_length=100, required=False)
    signed_on = forms.DateField(label="签名（送达）日期", required=False, widget=DateInput())
