from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.cases import selectors as case_selectors
from zhifa.cases.services import works_on
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service, form_error_text, service_message
from zhifa.core.roles import Role

from . import selectors, services
from .filters import TaskFilter
from .forms import DecisionForm, EscalateForm, RuleForm
from .models import CHECKLIST, ReviewStatus


def case_panel(request, case):
    """The legal-review section of the case page."""
    last = services.latest_task(case)
    return {
        "case": case,
        "tasks": case.review_tasks.select_related("reviewer").order_by("round"),
        "may_submit": works_on(request.user, case) and case.is_major and case.stage == "legal_review"
        and not (last and last.status in (ReviewStatus.PENDING, ReviewStatus.PASSED, ReviewStatus.ESCALATED)),
        "checklist": CHECKLIST,
    }


@login_required
def task_list(request):
    _, tasks = for_page(TaskFilter, request, selectors.visible_tasks(request.user), defaults={"status": "pending"})
    status = request.GET.get("status", "pending")
    return render(
        request, "review/task_list.html",
        {"tasks": tasks[:200], "status": status, "statuses": ReviewStatus.choices, "overdue": selectors.overdue_tasks(request.user)},
    )


@login_required
def task_detail(request, pk):
    task = selectors.get_task(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, services.decide_review, request.user, task, outcome=form.cleaned_data["outcome"],
                             checklist=form.checklist(), opinion=form.cleaned_data["opinion"])
        if done:
            messages.success(request, f"审核意见已提交：{done.get_status_display()}。")
            return redirect("review-task", task.pk)
    return render(
        request, "review/task_detail.html",
        {"task": task, "form": form, "may_decide": services.may_review(request.user, task.case) and task.status == ReviewStatus.PENDING,
         "may_escalate": request.user.has_role(Role.HEAD) and request.user.agency_id == task.case.agency_id
         and task.status == ReviewStatus.CORRECTED,  # after the opinion, on the case office's disagreement
         "escalate_form": EscalateForm(), "checklist": [(label, task.checklist.get(key)) for key, label in CHECKLIST]},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def submit(request, case_pk):
    case = case_selectors.get_case(request.user, case_pk)
    task = service_message(request, services.submit_for_review, request.user, case)
    if task is not None:
        messages.success(request, f"已送法制审核（第 {task.round} 次），审核期限 {task.due_date:%Y年%m月%d日}。")
    return redirect("case-detail", case.pk)


@login_required
@require_POST
def escalate(request, pk):
    task = selectors.get_task(request.user, pk)
    form = EscalateForm(request.POST)
    if form.is_valid() and apply_service(form, services.escalate, request.user, task, reason=form.cleaned_data["reason"]):
        messages.success(request, "已提交集体讨论。")
    else:
        messages.error(request, form_error_text(form) or "提交失败。")
    return redirect("review-task", task.pk)


@login_required
def catalogue(request):
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.save_rule, request.user, **form.cleaned_data):
            messages.success(request, "已添加审核目录事项。")
            return redirect("review-catalogue")
    return render(request, "review/catalogue.html", {"rules": selectors.visible_rules(request.user), "form": form}, status=400 if form.errors else 200)
