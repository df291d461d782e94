from decimal import Decimal

from django import forms

from zhifa.core.forms import DateInput
from zhifa.org.models import Agency, Person

from .models import Outcome, RiskClass, SeedSource, TargetKind
from .services import MAX_IMPORT_MB, TARGET_COLUMNS


class TargetForm(forms.Form):
    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"] = forms.ModelChoiceField(label="名录库所属执法主体", queryset=agencies)
        for key, label, required in TARGET_COLUMNS:
            if key == "kind":
                self.fields[key] = forms.ChoiceField(label=label, choices=TargetKind.choices)
            elif key == "risk_class":
                self.fields[key] = forms.ChoiceField(label=label, choices=RiskClass.choices)
            else:
                self.fields[key] = forms.CharField(label=label, required=required, max_length=200)


class ImportForm(forms.Form):
    agency = forms.ModelChoiceField(label="名录库所属执法主体", queryset=Agency.objects.none())
    file = forms.FileField(label="Excel 文件（.xlsx）", help_text=f"不超过 {MAX_IMPORT_MB} MB（约二百万行）。")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_IMPORT_MB * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {MAX_IMPORT_MB} MB，请分成几个文件导入。")
        return file

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300)


class InspectorForm(forms.Form):
    """By username: an agency has hundreds of people and an administrator sees every agency's, too many for a list."""

    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none(), widget=forms.Select(attrs={"aria-label": "执法主体"}))
    username = forms.CharField(label="用户名", max_length=150)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if data.get("agency") and data.get("username"):
            person = Person.objects.filter(agency=data["agency"], username=data["username"].strip()).first()
            if person is None:
                raise forms.ValidationError("该执法主体没有这个用户名的人员。")
            data["person"] = person
        return data


class AgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none(), widget=forms.Select(attrs={"aria-label": "按执法证列入的执法主体"}))

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class RemoveForm(forms.Form):
    note = forms.CharField(label="移出原因", max_length=200)


class RuleForm(forms.Form):
    item = forms.ModelChoiceField(label="随机抽查事项", queryset=None)
    risk_class = forms.ChoiceField(label="风险等级", choices=RiskClass.choices)
    ratio = forms.DecimalField(label="抽查比例（%）", min_value=Decimal("0.01"), max_value=100, max_digits=5, decimal_places=2)
    frequency = forms.IntegerField(label="每年抽查次数", min_value=1, max_value=12)
    basis = forms.CharField(label="依据", max_length=300, required=False)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class CapForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099)
    limit = forms.IntegerField(label="每个检查对象每年最多抽查次数（各部门合计）", min_value=1, max_value=50)
    basis = forms.CharField(label="依据", max_length=300)


class PlanForm(forms.Form):
    item = forms.ModelChoiceField(label="随机抽查事项", queryset=None)
    title = forms.CharField(label="计划名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099)
    starts_on = forms.DateField(label="检查开始日期", widget=DateInput())
    ends_on = forms.DateField(label="检查结束日期", widget=DateInput())
    partners = forms.ModelMultipleChoiceField(label="联合抽查部门", queryset=None, required=False,
                                              help_text="联合抽查时选择参加的其他执法主体：同一检查对象由各部门一次联合检查。")
    inspectors_per_agency = forms.IntegerField(label="每个检查对象每个部门抽取人数", min_value=2, max_value=10, initial=2,
                                               help_text="不少于两人；联合抽查时每个部门各自不少于两人。")
    region_prefix = forms.CharField(label="行政区划范围", max_length=6, required=False, help_text="留空为名录库全部；如 330402 为南湖区。")
    seed_source = forms.ChoiceField(label="随机种子来源", choices=SeedSource.choices)
    seed_description = forms.CharField(label="采用的开奖号码", max_length=200, required=False,
                                       help_text="以公开开奖号码为种子时必填，须为名单固化时尚未开奖的一期，如：中国福利彩票双色球第 2026138 期开奖号码。")

    def __init__(self, *args, items=None, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["partners"].queryset = partners


class SeedForm(forms.Form):
    seed = forms.CharField(label="开奖号码", max_length=200, help_text="按开奖公告原样录入，如：03 11 17 22 28 31 + 09。录入后立即摇号，不能更改。")


class RecuseForm(forms.Form):
    reason = forms.CharField(label="回避原因", max_length=300, help_text="如：与检查对象负责人有近亲属关系。")


class ResultForm(forms.Form):
    outcome = forms.ChoiceField(label="检查结果", choices=Outcome.choices)
    checked_on = forms.DateField(label="检查结束日期", widget=DateInput())
    note = forms.CharField(label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="未能实施检查的，写明实地核查情况。此说明不公开。")
