from django import forms

from zhifa.org.models import Person

from .models import EvidenceKind, Stage


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="文件", help_text="照片、录音、录像、扫描件或电子数据；上传时即计算 SM3 与 SHA-256。")
    case_number = forms.CharField(label="案件编号", max_length=60)
    title = forms.CharField(label="名称", max_length=200, help_text="如：仓库东侧现场照片、执法记录仪录像（询问）。")
    kind = forms.ChoiceField(label="证据种类", choices=EvidenceKind.choices)
    stage = forms.ChoiceField(label="执法环节", choices=Stage.choices)
    proves = forms.CharField(label="证明对象", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    captured_at = forms.DateTimeField(label="采集时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    place = forms.CharField(label="采集地点", max_length=200)
    collector = forms.ModelChoiceField(label="采集人", queryset=Person.objects.none())
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.agency_id:
            self.fields["collector"].queryset = Person.objects.filter(
                agency_id=user.agency_id, is_active=True, credentials__isnull=False
            ).distinct().order_by("full_name")
            self.fields["collector"].initial = user.pk
        self.fields["collector"].label_from_instance = lambda p: f"{p.full_name}（{p.position or p.username}）"


class AccessFilterForm(forms.Form):
    number = forms.CharField(label="证据编号", required=False, max_length=60)
    person = forms.CharField(label="调阅人", required=False, max_length=50)
    since = forms.DateField(label="起", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="止", required=False, widget=forms.DateInput(attrs={"type": "date"}))
