from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa import workdays

from .models import HolidayOverride


def apply_service(form, fn, *args, **kwargs):
    """Run a service; put its Chinese validation errors on the form. Returns the result or None."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


def service_message(request, fn, *args, prefix: str = "", denied_as_message: bool = False, **kwargs):
    """Run a service behind a plain button (no form): its Chinese validation errors, and with
    denied_as_message its refusals, become a flash message. Returns the result, or None."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        messages.error(request, prefix + "；".join(exc.messages))
    except PermissionDenied as exc:
        if not denied_as_message:
            raise
        messages.error(request, f"{prefix}{exc}")
    return None


def form_error_text(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DeadlineForm(forms.Form):
    start = forms.DateField(label="起算日", widget=DateInput())
    amount = forms.IntegerField(label="期间", min_value=0, max_value=workdays.MAX_SPAN_DAYS)
    unit = forms.ChoiceField(label="单位", choices=[(workdays.WD, "工作日"), (workdays.DAYS, "日（日历日）")])
    roll_forward = forms.BooleanField(
        label="期满日为休息日时顺延（当事人期间）", required=False, initial=True,
        help_text="限制行政机关职权的期间（如查封扣押期限）不应顺延。",
    )
    basis = forms.CharField(label="法律依据", required=False, max_length=200)


class HolidayOverrideForm(forms.ModelForm):
    class Meta:
        model = HolidayOverride
        fields = ["date", "is_workday", "name", "source"]
        widgets = {"date": DateInput()}

    def validate_unique(self):
        # Saving an existing date updates it (set_day_override), so uniqueness is not an error here.
        pass


class PublishYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(label="发布文件", max_length=200)
