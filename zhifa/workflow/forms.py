from django import forms

from zhifa.org.models import Agency

from .models import Algorithm, Category
from .rules import push_kinds


class PreferenceForm(forms.Form):
    email_categories = forms.MultipleChoiceField(
        label="同时以电子邮件通知的类别", choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="站内通知总会收到；邮件发往“账号安全”中登记的电子邮箱。",
    )


def kind_choices():
    return [(key, f"{push_kinds.get(key).label}（{key}）") for key in sorted(push_kinds.keys())]


class SubscriptionForm(forms.Form):
    name = forms.CharField(label="接收方名称", max_length=100)
    url = forms.URLField(label="推送地址", max_length=500, assume_scheme="https", help_text="以 http:// 或 https:// 开头；对方须以 2xx 应答。")
    algorithm = forms.ChoiceField(label="签名算法", choices=Algorithm.choices)
    kinds = forms.MultipleChoiceField(label="推送的事件", choices=(), widget=forms.CheckboxSelectMultiple)
    agencies = forms.ModelMultipleChoiceField(label="限于这些执法主体", queryset=Agency.objects.order_by("region_code", "name"), required=False,
                                              help_text="不选则推送全部执法主体的事件。")
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices()

    def service_fields(self) -> dict:
        """The cleaned form as create_subscription / update_subscription take it."""
        data = dict(self.cleaned_data)
        data["agencies"] = [a.pk for a in data["agencies"]]
        return data


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(label="审批", choices=[("approve", "批准"), ("return", "退回")], widget=forms.RadioSelect)
    opinion = forms.CharField(label="审批意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="批准可不填（记为“同意。”）；退回须写明理由和修改意见。")
