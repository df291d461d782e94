from django import forms

from .models import ListKind


class ImportForm(forms.Form):
    agency = forms.ModelChoiceField(label="执法主体", queryset=None)
    list_kind = forms.ChoiceField(label="清单", choices=ListKind.choices)
    file = forms.FileField(label="Excel 文件（.xlsx）")
    note = forms.CharField(label="变更说明", max_length=300, required=False, help_text="如：根据《…》修订调整。")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
