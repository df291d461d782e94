from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service, form_error_text
from zhifa.core.pagination import CappedPaginator
from zhifa.core.roles import Role, is_admin, is_head_of
from zhifa.org.models import Person
from zhifa.procedures.flowchart import render_svg

from . import gates, selectors, services
from .filters import CaseFilter
from .forms import (
    ArrangementForm,
    ExtendForm,
    MarkForm,
    MoveForm,
    OpenCaseForm,
    PartyChoiceForm,
    PartyForm,
    PauseForm,
    PaymentForm,
    ProposalForm,
    RecusalForm,
    ResumeForm,
    ThresholdForm,
    UnmarkForm,
)
from .models import CaseStatus
from .panels import panels

# The columns the list shows: a case row has some forty, its agency and opener as many again; loading only these
# took the list's query from 4.4 to 1.3 ms at 30 rows.
LIST_COLUMNS = ("id", "number", "title", "is_major", "agency__name", "procedure_id", "stage", "opened_on", "status")


@login_required
def case_list(request):
    _, qs = for_page(CaseFilter, request, selectors.visible_cases(request.user).select_related(None).select_related("agency").only(*LIST_COLUMNS))
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
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
            "marks": case.major_marks.select_related("marked_by", "unmarked_by"),
            "may_mark": services.may_mark_major(request.user, case) and case.status == CaseStatus.OPEN,
            "is_head": is_head_of(request.user, case.agency_id),
            "may_act": services.works_on(request.user, case) and case.status == CaseStatus.OPEN,
            "colleagues": Person.objects.filter(agency_id=case.agency_id, is_active=True, role_assignments__role=Role.OFFICER)
            .exclude(case_assignments__case=case).distinct().order_by("full_name")[:200],
            "mark_form": MarkForm(),
            "pauses": case.pauses.select_related("by"),
            "open_pauses": {p.deadline_code for p in case.pauses.all() if p.end_date is None},
            "pausable": {d["code"] for d in case.definition.deadlines if d.get("exclusions")},
            "extendable": {d["code"] for d in case.definition.deadlines if d.get("extension")},
            "pause_form": PauseForm(),
            "payments": case.payments.all(),
            "arrangements": case.payment_arrangements.select_related("approved_by"),
            "outstanding": services.amount_outstanding(case),
            "late_fee": services.late_fee(case, timezone.localdate()),
            "payment_form": PaymentForm(),
            "arrangement_form": ArrangementForm(),
            "party_form": PartyForm(),
            "acts": {d.code: services.act_label(d.met_by) for d in case.deadlines.all() if d.met_by},
            "stage_names": {h.stage: case.definition.stage_name(h.stage) for h in history},
            "hearing_right": gates.hearing_right_applies(case),
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


def _simple(form_class, call, success):
    @login_required
    @require_POST
    def view(request, pk):
        return _post_service(request, pk, form_class, call, success)

    return view


case_mark = _simple(MarkForm, services.mark_major, lambda m: "已标记为重大执法决定，作出决定前须经法制审核。")
case_unmark = _simple(UnmarkForm, services.unmark_major, lambda m: "已取消该项重大执法决定标记。")
case_pause = _simple(PauseForm, services.pause_deadline, lambda p: f"已登记不计入期限的期间（自 {p.start_date:%Y-%m-%d} 起）。")
case_resume = _simple(ResumeForm, services.resume_deadline, lambda d: f"不计入期间已结束，期限顺延至 {d.due_date:%Y-%m-%d}。")
case_extend = _simple(ExtendForm, services.extend_deadline, lambda d: f"已批准延长，期限至 {d.due_date:%Y-%m-%d}。")
case_request_extension = _simple(ExtendForm, services.request_extension, lambda a: "已将延长期限的申请送机关负责人审批。")
case_request_recusal = _simple(RecusalForm, services.request_recusal, lambda a: "已将回避申请送机关负责人决定。")
case_payment = _simple(PaymentForm, services.record_payment, lambda p: f"已登记缴款 {p.amount} 元（凭证 {p.receipt_number}）。")
case_arrangement = _simple(ArrangementForm, services.approve_payment_arrangement, lambda a: f"已批准{a.get_kind_display()}。")
case_add_party = _simple(PartyForm, lambda user, case, **d: services.add_party(user, case, d), lambda p: f"已追加当事人 {p.name}。")


@login_required
def thresholds(request):
    """听证较大数额标准: everyone signed in reads them (officers need to know); administrators set them."""
    form = ThresholdForm(request.POST or None)
    may_edit = is_admin(request.user)
    if request.method == "POST" and may_edit and form.is_valid():
        if apply_service(form, services.save_threshold, request.user, **form.cleaned_data):
            messages.success(request, "已保存听证较大数额标准。")
            return redirect("case-thresholds")
    from django.conf import settings

    return render(request, "cases/thresholds.html", {"rows": selectors.hearing_thresholds(), "form": form, "may_edit": may_edit,
                                                     "default": settings.ZHIFA_HEARING_THRESHOLDS},
                  status=400 if form.errors else 200)
