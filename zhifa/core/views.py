import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa import workdays
from zhifa.core import selectors, services
from zhifa.core.api import compute_deadline
from zhifa.core.auth_forms import LoginForm
from zhifa.core.registry import Registry
from zhifa.core.roles import is_admin

from .forms import DeadlineForm, HolidayOverrideForm, PublishYearForm, apply_service, form_error_text
from .models import HolidayOverride

home_panels = Registry(
    "core.home_panels",
    """Sections of the home page from the apps above core: template -> context(request) -> dict, or None to
    leave the section out for this person (org: credentials, staffing and administration).""",
)


@login_required
def home(request):
    user = request.user
    ctx = {"roles": user.role_labels, "today_status": workdays.day_status(timezone.localdate())}
    ctx["panels"] = []
    for template in home_panels.keys():
        panel = home_panels.get(template)(request)
        if panel is not None:
            ctx["panels"].append({"template": template, **panel})
    return render(request, "core/home.html", ctx)


def _month_grid(year: int, month: int):
    statuses = workdays.month_statuses(year, month)
    lead = statuses[0].date.weekday()
    cells = [None] * lead + statuses
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


@login_required
def calendar_view(request):
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= workdays.LAST_YEAR else timezone.localdate().year
    if raw and str(year) != raw:
        messages.error(request, "年度应为2000至2100之间的数字，已显示今年。")
    months = [{"month": m, "weeks": _month_grid(year, m)} for m in range(1, 13)]
    summary = workdays.year_summary(year)
    can_edit = is_admin(request.user)
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "months": months,
            "summary": summary,
            "weekdays": "一二三四五六日",
            "overrides": selectors.day_overrides(year),
            "published": selectors.published_year(year),
            "can_edit": can_edit,
            "override_form": HolidayOverrideForm(initial={"date": dt.date(year, 1, 1)}) if can_edit else None,
            "publish_form": PublishYearForm(initial={"year": year}) if can_edit else None,
        },
    )


@login_required
def deadline_view(request):
    form = DeadlineForm(request.GET or None, initial={"start": timezone.localdate(), "unit": workdays.WD})
    result = compute_deadline(form.cleaned_data) if form.is_bound and form.is_valid() else None
    template = "core/_deadline_result.html" if request.htmx else "core/deadline.html"
    return render(request, template, {"form": form, "result": result})


@login_required
@require_POST
def override_save(request):
    form = HolidayOverrideForm(request.POST)
    if form.is_valid():
        saved = apply_service(form, services.set_day_override, request.user, **form.cleaned_data)
        if saved:
            messages.success(request, f"已保存：{saved}")
            return redirect(f"/calendar/?year={saved.date.year}")
    messages.error(request, "保存失败：" + form_error_text(form))
    return redirect("calendar")


@login_required
@require_POST
def override_delete(request, pk):
    override = get_object_or_404(HolidayOverride, pk=pk)
    year = override.date.year
    services.remove_day_override(request.user, override)
    messages.success(request, "已删除该节假日调整。")
    return redirect(f"/calendar/?year={year}")


@login_required
@require_POST
def publish_year(request):
    form = PublishYearForm(request.POST)
    if form.is_valid():
        saved = apply_service(form, services.publish_calendar_year, request.user, **form.cleaned_data)
        if saved:
            messages.success(request, f"已将{saved.year}年标记为已发布官方放假安排。")
            return redirect(f"/calendar/?year={saved.year}")
    messages.error(request, "操作失败：" + form_error_text(form))
    return redirect("calendar")


# --- error pages (Chinese, never a bare 500) ---------------------------------------------


def error_page(request, code: int, title: str, message: str):
    return render(request, "error.html", {"code": code, "title": title, "message": message}, status=code)


def bad_request(request, exception=None):
    return error_page(request, 400, "请求有误", "提交的内容无法处理，请返回检查后重试。")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问该页面或执行该操作。"
    return error_page(request, 403, "无权操作", message)


def page_not_found(request, exception=None):
    return error_page(request, 404, "页面不存在", "未找到该页面或记录，或您无权查看。")


def server_error(request):
    return error_page(request, 500, "系统错误", "系统出现错误，已记录，请稍后重试。")


def csrf_failure(request, reason=""):
    return error_page(request, 403, "请求校验失败", "页面已过期或来源校验失败，未作任何修改。请刷新页面后重新提交。")


class LoginView(auth_views.LoginView):
    """The staff sign-in page; with single sign-on configured it also offers the provincial 统一身份认证."""

    template_name = "core/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.ZHIFA_OIDC_CLIENT_ID:
            context["sso_label"] = settings.ZHIFA_OIDC_LABEL
        return context
