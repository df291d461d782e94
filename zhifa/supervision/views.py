from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core.errors import require
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service, form_error_text, service_message
from zhifa.core.pagination import CappedPaginator
from zhifa.core.roles import Role
from zhifa.org.models import Person
from zhifa.org.selectors import get_agency, get_visible, visible_agencies

from . import detectors, selectors, services
from .filters import ClueFilter
from .forms import AnswerForm, AssignForm, CloseForm, DirectiveForm, ReplyForm, ReviewForm
from .models import DirectiveKind, DirectiveStatus


@login_required
def clue_list(request):
    filterset, qs = for_page(ClueFilter, request, selectors.visible_clues(request.user), defaults={"open": "1"})
    page = CappedPaginator(qs.order_by("-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/clue_list.html", {"page": page, "filter": filterset,
                                                           "may_run": services.may_run_models(request.user)})


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
        "may_direct": clue.agency is not None and services.may_direct(request.user, clue.agency),
    }, status=400 if any(f.errors for f in forms.values()) else 200)


@login_required
def model_list(request):
    counts = {}
    for code in selectors.visible_clues(request.user).filter(is_open=True).values_list("model", flat=True).order_by():
        counts[code] = counts.get(code, 0) + 1
    rows = [(d, counts.get(d.code, 0)) for d in detectors.all_detectors()]
    return render(request, "supervision/models.html", {"rows": rows, "may_run": services.may_run_models(request.user)})


@login_required
@require_POST
def run(request):
    counts = services.run_models(actor=request.user)
    messages.success(request, f"已运行全部问题模型：发现 {counts['found']} 项，新线索 {counts['new']} 条，自动办结 {counts['closed']} 条。")
    return redirect("clues")




# ---------------------------------------------------------------- 监督文书

@login_required
def directive_list(request):
    qs = selectors.visible_directives(request.user)
    status = request.GET.get("status", "")
    if status in DirectiveStatus.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs.order_by("-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/directive_list.html", {"page": page, "status": status, "statuses": DirectiveStatus.choices,
                                                                "may_issue": request.user.has_role(Role.SUPERVISOR)})


@login_required
def directive_new(request):
    require(request.user.has_role(Role.SUPERVISOR) and request.user.agency_id and request.user.agency.is_supervisory,
            "只有监督机关的执法监督人员可以发出监督文书。")
    agencies = visible_agencies(request.user).filter(is_supervisory=False).order_by("region_code", "pk")
    clue = None
    if request.GET.get("clue", "").isdigit() and int(request.GET["clue"]) < 2**63:
        clue = selectors.get_clue(request.user, int(request.GET["clue"]))
    initial = {"kind": DirectiveKind.URGE, "reply_workdays": 10}
    if clue is not None:
        initial.update(agency=clue.agency_id, subject=clue.title, basis=clue.basis, content=f"经监督发现：{clue.title}。请依法整改，并在答复期限内报告整改情况。")
    form = DirectiveForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        number = d.pop("case_number").strip()
        case = None
        if number:
            from zhifa.cases.models import Case

            case = Case.objects.filter(agency=d["agency"], number=number).first()
            if case is None:
                form.add_error("case_number", "该执法主体没有这个编号的案件。")
        if not form.errors:
            directive = apply_service(form, services.issue_directive, request.user, case=case, clue=clue, **d)
            if directive is not None:
                messages.success(request, f"已发出{directive.get_kind_display()} {directive.number}。")
                return redirect("directive", directive.pk)
    return render(request, "supervision/directive_form.html", {"form": form, "clue": clue}, status=400 if form.errors else 200)


@login_required
def directive_detail(request, pk):
    directive = selectors.get_directive(request.user, pk)
    step = request.POST.get("step")
    reply_form = ReplyForm(request.POST if step == "reply" else None, prefix="reply")
    review_form = ReviewForm(request.POST if step == "review" else None, prefix="review")
    if request.method == "POST" and step in ("reply", "review"):
        form = reply_form if step == "reply" else review_form
        done = None
        if form.is_valid():
            if step == "reply":
                done = apply_service(form, services.reply_directive, request.user, directive, **form.cleaned_data)
            else:
                done = apply_service(form, services.review_directive, request.user, directive, **form.cleaned_data)
        if done is not None:
            messages.success(request, "已答复，等待监督机关审核。" if step == "reply" else
                             ("已办结。" if done.status == DirectiveStatus.CLOSED else "已退回重新答复。"))
            return redirect("directive", directive.pk)
        messages.error(request, form_error_text(form) or "提交的内容有误，未作任何修改。")
    return render(request, "supervision/directive_detail.html", {
        "d": directive, "reply_form": reply_form, "review_form": review_form,
        "may_reply": services.may_reply(request.user, directive) and directive.status == DirectiveStatus.ISSUED,
        "may_review": services.may_direct(request.user, directive.agency) and directive.status == DirectiveStatus.REPLIED,
        "overdue": directive.status == DirectiveStatus.ISSUED and directive.due_date < timezone.localdate(),
    }, status=400 if reply_form.errors or review_form.errors else 200)


# ---------------------------------------------------------------- 统计年报报送与汇总

def _year(request) -> int:
    text = request.GET.get("year", "")
    last = timezone.localdate().year - 1
    return int(text) if text.isascii() and text.isdigit() and 2000 <= int(text) <= last else last


@login_required
def reports(request):
    year = _year(request)
    if request.method == "POST":
        action, posted = request.POST.get("action"), request.POST.get("year", "")
        year = int(posted) if posted.isascii() and posted.isdigit() and 2000 <= int(posted) <= 2099 else year
        if action == "submit":
            agency = get_agency(request.user, request.POST.get("agency"))
            if service_message(request, services.submit_report, request.user, agency, year, denied_as_message=True):
                messages.success(request, f"已报送{agency.short_name} {year} 年度统计年报。")
        elif action == "publish":
            row = service_message(request, services.publish_regional_report, request.user, year, denied_as_message=True)
            if row is not None:
                messages.success(request, f"已汇总公布 {year} 年度本地区统计年报：{len(row.included)} 个执法主体，未报送 {len(row.missing)} 个。")
        return redirect(f"{request.path}?year={year}")
    rows = selectors.report_status(request.user, year)
    return render(request, "supervision/reports.html", {
        "year": year, "rows": rows, "missing": sum(1 for r in rows if not r["submission"]),
        "may_publish": request.user.has_role(Role.SUPERVISOR) and request.user.agency_id and request.user.agency.is_supervisory
        and request.user.agency.level in ("province", "city"),
        "regional": selectors.regional_reports().filter(year=year, authority_id=request.user.agency_id).first(),
        "is_head_of": {r["agency"].pk for r in rows if services.may_submit(request.user, r["agency"])},
    })


def public_regional_list(request):
    return render(request, "supervision/public_regional_list.html", {"reports": selectors.regional_reports()[:200]})


def public_regional_detail(request, pk):
    from zhifa.org.models import Agency

    report = get_visible(selectors.regional_reports(), pk)
    names = dict(Agency.objects.filter(pk__in=report.included + report.missing).values_list("pk", "name"))
    return render(request, "supervision/public_regional_detail.html", {
        "r": report, "d": report.data, "included": [names.get(i, "") for i in report.included], "missing": [names.get(i, "") for i in report.missing],
    })


# ---------------------------------------------------------------- 数据驾驶舱

@login_required
def cockpit_view(request):
    from . import cockpit

    data = cockpit.cockpit(request.user, request.GET.get("region", ""), request.GET.get("from", ""), request.GET.get("to", ""))
    template = "supervision/cockpit_wall.html" if request.GET.get("view") == "wall" else "supervision/cockpit.html"
    return render(request, template, {**data, "query": f"from={data['start']:%Y-%m-%d}&to={data['end']:%Y-%m-%d}"})


@login_required
def cockpit_xlsx(request):
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook

    from . import cockpit

    data = cockpit.cockpit(request.user, request.GET.get("region", ""), request.GET.get("from", ""), request.GET.get("to", ""))
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([f"{data['scope'].label} {data['start']:%Y-%m-%d} 至 {data['end']:%Y-%m-%d}"])
    sheet.append(["指标", "数值"])
    for key, label in data["figures"]:
        sheet.append([label, float(data["total"][key]) if key == "fines" else data["total"][key]])
    for key, label, _, _ in data["rates"]:
        sheet.append([f"{label}（%）", data["total"][key]])
    parts = book.create_sheet("分地区、分执法主体")
    parts.append(["地区或执法主体"] + [label for _, label in data["figures"]] + [f"{label}（%）" for _, label, _, _ in data["rates"]])
    for _, label, t in data["parts"]:
        parts.append([label] + [float(t[k]) if k == "fines" else t[k] for k, _ in data["figures"]] + [t[k] for k, _, _, _ in data["rates"]])
    buf = io.BytesIO()
    book.save(buf)
    response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="cockpit.xlsx"'
    return response
