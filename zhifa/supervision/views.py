from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core.errors import require
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service, form_error_text
from zhifa.core.pagination import CappedPaginator
from zhifa.core.roles import Role, is_admin
from zhifa.org.models import Person

from . import detectors, selectors, services
from .filters import ClueFilter
from .forms import AnswerForm, AssignForm, CloseForm


@login_required
def clue_list(request):
    filterset, qs = for_page(ClueFilter, request, selectors.visible_clues(request.user), defaults={"open": "1"})
    page = CappedPaginator(qs.order_by("-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/clue_list.html", {"page": page, "filter": filterset,
                                                           "may_run": is_admin(request.user) or request.user.has_role(Role.SUPERVISOR)})


@login_required
def clue_detail(request, pk):
    clue = selectors.get_clue(request.user, pk)
    people = Person.objects.filter(agency_id=clue.agency_id, is_active=True).order_by("full_name") if clue.agency_id else Person.objects.none()
    step = request.POST.get("step")
    # Prefixed: the three forms share field names (note) and would share their ids and labels.
    forms = {
        "assign": AssignForm(request.POST if step == "assign" else None, people=people, prefix="assign"),
        "answer": AnswerForm(request.POST if step == "answer" else None, prefix="answer"),
        "close": CloseForm(request.POST if step == "close" else None, prefix="close"),
    }
    if request.method == "POST" and step in forms:
        form = forms[step]
        done = None
        if form.is_valid():
            data = form.cleaned_data
            if step == "assign":
                done = apply_service(form, services.assign, request.user, clue, **data)
            elif step == "answer":
                done = apply_service(form, services.answer, request.user, clue, **data)
            else:
                done = apply_service(form, services.close, request.user, clue, **data)
        if done is not None:
            messages.success(request, {"assign": "已交办。", "answer": "已答复，等待监督人员审核。", "close": "线索已办结。"}[step])
            return redirect("clue", clue.pk)
        messages.error(request, form_error_text(form) or "提交的内容有误，未作任何修改。")
    detector = detectors.get(clue.model)
    return render(request, "supervision/clue_detail.html", {
        "clue": clue, "detector": detector, "forms": forms,
        "may_supervise": services.may_supervise(request.user, clue), "may_answer": services.may_answer(request.user, clue),
    }, status=400 if any(f.errors for f in forms.values()) else 200)


@login_required
def model_list(request):
    counts = {}
    for code in selectors.visible_clues(request.user).filter(is_open=True).values_list("model", flat=True).order_by():
        counts[code] = counts.get(code, 0) + 1
    rows = [(d, counts.get(d.code, 0)) for d in detectors.all_detectors()]
    return render(request, "supervision/models.html", {"rows": rows, "may_run": is_admin(request.user) or request.user.has_role(Role.SUPERVISOR)})


@login_required
@require_POST
def run(request):
    require(is_admin(request.user) or request.user.has_role(Role.SUPERVISOR), "只有执法监督人员或系统管理员可以运行问题模型。")
    counts = services.run_models()
    messages.success(request, f"已运行全部问题模型：发现 {counts['found']} 项，新线索 {counts['new']} 条，自动办结 {counts['closed']} 条。")
    return redirect("clues")


