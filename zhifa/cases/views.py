from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core.forms import apply_service, form_error_text
from zhifa.procedures.flowchart import render_svg

from . import selectors, services
from .panels import panels
from .forms import MoveForm, OpenCaseForm, PartyChoiceForm, ProposalForm
from .models import CaseStatus


@login_required
def case_list(request):
    qs = selectors.visible_cases(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(parties__name__icontains=q)).distinct()
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {"page": page, "q": q, "status": status, "statuses": CaseStatus.choices})


@login_required
def case_open(request):
    form = OpenCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        case = apply_service(form, services.open_case, request.user, **form.service_kwargs())
        if case:
            messages.success(request, f"已立案，案件编号 {case.number}。")
            return redirect("case-detail", case.pk)
    return render(request, "cases/case_open.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def case_detail(request, pk):
    case = selectors.get_case(request.user, pk)
    history = list(case.history.select_related("by"))
    works = services.works_on(request.user, case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "history": history,
            "svg": render_svg(case.definition, current=case.stage, visited={h.stage for h in history}),
            "steps": services.next_steps(case) if works else [],
            "works": works,
            "deadlines": case.deadlines.all(),
            "today": timezone.localdate(),
            "panels": panels(request, case),
            "proposal_form": ProposalForm(initial={
                "outcome": case.proposed_outcome or "penalty", "penalty_kinds": case.penalty_kinds, "fine_amount": case.fine_amount,
                "confiscation_amount": case.confiscation_amount, "legal_basis": case.legal_basis,
            }),
            "officers": case.officers.select_related("person"),
        },
    )


def _post_service(request, pk, form_class, call, success):
    case = selectors.get_case(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        result = apply_service(form, call, request.user, case, **form.cleaned_data)
        if result is not None:
            messages.success(request, success(result))
            return redirect("case-detail", case.pk)
    messages.error(request, form_error_text(form) or "提交的内容有误。")
    return redirect("case-detail", case.pk)


@login_required
@require_POST
def case_move(request, pk):
    def move(user, case, *, to, note):
        return services.move_case(user, case, to=to, note=note)

    return _post_service(request, pk, MoveForm, move, lambda c: f"案件已进入“{c.stage_name}”环节。")


@login_required
@require_POST
def case_proposal(request, pk):
    return _post_service(request, pk, ProposalForm, lambda user, case, **d: services.set_proposal(user, case, **d), lambda c: "已保存拟处理意见。" + ("该案属于重大执法决定，作出决定前须经法制审核。" if c.is_major else ""))


@login_required
@require_POST
def case_choice(request, pk):
    return _post_service(request, pk, PartyChoiceForm, lambda user, case, **d: services.record_party_choice(user, case, **d), lambda c: "已登记当事人的选择。")


@login_required
def deadline_board(request):
    return render(
        request,
        "cases/deadlines.html",
        {"overdue": selectors.overdue_deadlines(request.user), "soon": selectors.due_soon_deadlines(request.user, 5)},
    )
