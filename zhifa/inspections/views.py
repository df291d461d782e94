import csv
import io
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core import qr
from zhifa.core.errors import require
from zhifa.core.filters import for_page
from zhifa.core.forms import apply_service, service_message
from zhifa.core.pagination import CappedPaginator
from zhifa.core.roles import is_admin
from zhifa.core.text import csv_cell
from zhifa.org.models import Agency
from zhifa.org.selectors import visible_agencies
from zhifa.powers.models import ListKind, PublicItem

from . import drawing, selectors, services
from .filters import PlanFilter, TargetFilter, TaskFilter
from .forms import (
    AgencyForm,
    CapForm,
    ImportForm,
    InspectorForm,
    PlanForm,
    ReasonForm,
    RecuseForm,
    RemoveForm,
    ResultForm,
    RuleForm,
    SeedForm,
    TargetForm,
)
from .models import Outcome, SeedSource, TaskStatus
from .records import record_for


def _managed(user):
    """Agencies whose libraries, rules and plans this person keeps."""
    return [a for a in visible_agencies(user) if services.may_manage(user, a)]


def _managed_qs(user):
    return Agency.objects.filter(pk__in=[a.pk for a in _managed(user)])


# ---------------------------------------------------------------- overview

@login_required
def overview(request):
    plans = selectors.visible_plans(request.user).order_by("-year", "-pk")[:20]
    return render(request, "inspections/overview.html", {
        "plans": plans, "mine": selectors.my_tasks(request.user).exclude(status=TaskStatus.DONE).order_by("plan__ends_on", "pk")[:20],
        "may_manage": bool(_managed(request.user)),
    })


# ---------------------------------------------------------------- 检查对象名录库

@login_required
def targets(request):
    filterset, qs = for_page(TargetFilter, request, selectors.visible_targets(request.user), defaults={"active": "1"})
    page = CappedPaginator(qs.order_by("-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "inspections/targets.html", {"page": page, "filter": filterset, "may_manage": bool(_managed(request.user))})


@login_required
def target_new(request):
    agencies = _managed_qs(request.user)
    require(agencies.exists(), "只有系统管理员或机关负责人可以维护检查对象名录库。")
    form = TargetForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        target = apply_service(form, services.save_target, request.user, agency, data)
        if target is not None:
            messages.success(request, f"已保存检查对象：{target.name}。")
            return redirect("inspection-target", target.pk)
    return render(request, "org/form.html", {"form": form, "title": "新增检查对象"}, status=400 if form.errors else 200)


@login_required
def target_detail(request, pk):
    target = selectors.get_target(request.user, pk)
    may = services.may_manage(request.user, target.agency)
    form = TargetForm(request.POST or None, initial={k: getattr(target, k) for k, _, _ in services.TARGET_COLUMNS})
    if request.method == "POST":
        require(may, "只有系统管理员或本机关负责人可以维护检查对象名录库。")
        if form.is_valid() and apply_service(form, services.save_target, request.user, target.agency, form.cleaned_data, target=target):
            messages.success(request, "已保存。")
            return redirect("inspection-target", target.pk)
    tasks = target.tasks.select_related("plan").order_by("-plan__year", "-pk")[:20]
    return render(request, "inspections/target_detail.html", {
        "target": target, "form": form, "may_manage": may, "tasks": tasks, "reason_form": ReasonForm(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def target_active(request, pk):
    target = selectors.get_target(request.user, pk)
    form = ReasonForm(request.POST)
    active = request.POST.get("active") == "1"
    if form.is_valid() and service_message(request, services.set_target_active, request.user, target, active=active, reason=form.cleaned_data["reason"]):
        messages.success(request, "已恢复在库。" if active else "已移出名录库。")
    elif not form.is_valid():
        messages.error(request, "请写明原因。")
    return redirect("inspection-target", target.pk)


@login_required
def target_import(request):
    agencies = _managed_qs(request.user)
    require(agencies.exists(), "只有系统管理员或机关负责人可以维护检查对象名录库。")
    form = ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        result = apply_service(form, services.import_targets, request.user, form.cleaned_data["agency"], form.cleaned_data["file"])
        if result is not None:
            messages.success(request, f"导入完成：新增 {result['added']} 个，更新 {result['updated']} 个；名录库现有在库检查对象 {result['total']} 个。")
            return redirect(reverse("inspection-targets") + f"?agency={form.cleaned_data['agency'].pk}")
    return render(request, "inspections/import.html", {"form": form, "columns": services.TARGET_COLUMNS}, status=400 if form.errors else 200)


# ---------------------------------------------------------------- 执法检查人员名录库

@login_required
def inspectors(request):
    entries = selectors.visible_inspectors(request.user).order_by("agency", "-is_active", "person__full_name")
    agencies = _managed_qs(request.user)
    form = InspectorForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        require(agencies.exists(), "只有系统管理员或机关负责人可以维护执法检查人员名录库。")
        if form.is_valid():
            person = form.cleaned_data["person"]
            if apply_service(form, services.add_inspector, request.user, form.cleaned_data["agency"], person, form.cleaned_data["note"]):
                messages.success(request, f"已将{person.full_name}列入执法检查人员名录库。")
                return redirect("inspection-inspectors")
    page = CappedPaginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "inspections/inspectors.html", {
        "page": page, "form": form, "may_manage": agencies.exists(), "managed": set(agencies.values_list("pk", flat=True)),
        "eligible_form": AgencyForm(agencies=agencies),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def inspectors_eligible(request):
    form = AgencyForm(request.POST, agencies=_managed_qs(request.user))
    if not form.is_valid():
        messages.error(request, "请选择执法主体。")
        return redirect("inspection-inspectors")
    agency = form.cleaned_data["agency"]
    added = service_message(request, services.add_eligible_inspectors, request.user, agency)
    if added is not None:
        messages.success(request, f"已按执法证列入{agency.short_name} {added} 人。" if added else "没有可以新列入的人员：持有效执法证的人员均已在名录库中。")
    return redirect("inspection-inspectors")


@login_required
@require_POST
def inspector_remove(request, pk):
    entry = selectors.get_inspector(request.user, pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明移出原因。")
    elif service_message(request, services.remove_inspector, request.user, entry, form.cleaned_data["note"]):
        messages.success(request, f"已将{entry.person.full_name}移出名录库。")
    return redirect("inspection-inspectors")


# ---------------------------------------------------------------- 比例、频次、上限

@login_required
def rules(request):
    managed = _managed(request.user)
    items = PublicItem.objects.filter(agency__in=managed, list_kind=ListKind.INSPECTIONS, is_active=True).order_by("agency", "code")
    form = RuleForm(request.POST or None if request.POST.get("form") == "rule" else None, items=items)
    cap_form = CapForm(request.POST or None if request.POST.get("form") == "cap" else None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and request.POST.get("form") == "rule":
        require(managed, "只有系统管理员或机关负责人可以设定抽查比例和频次。")
        if form.is_valid():
            d = form.cleaned_data
            if apply_service(form, services.save_rule, request.user, d["item"].agency, item=d["item"], risk_class=d["risk_class"],
                             ratio=d["ratio"], frequency=d["frequency"], basis=d["basis"]):
                messages.success(request, "已保存抽查比例和频次。")
                return redirect("inspection-rules")
    elif request.method == "POST" and request.POST.get("form") == "cap":
        if cap_form.is_valid() and apply_service(cap_form, services.set_cap, request.user, **cap_form.cleaned_data):
            messages.success(request, "已保存年度抽查次数上限。")
            return redirect("inspection-rules")
    year = timezone.localdate().year
    limit, basis = services.cap_for(year)
    return render(request, "inspections/rules.html", {
        "rules": selectors.visible_rules(request.user), "form": form, "cap_form": cap_form, "may_manage": bool(managed),
        "is_admin": is_admin(request.user), "caps": selectors.caps(), "year": year, "limit": limit, "basis": basis,
    }, status=400 if form.errors or cap_form.errors else 200)


# ---------------------------------------------------------------- 抽查计划

@login_required
def plans(request):
    filterset, qs = for_page(PlanFilter, request, selectors.visible_plans(request.user))
    page = CappedPaginator(qs.order_by("-year", "-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "inspections/plans.html", {"page": page, "filter": filterset, "may_manage": bool(_managed(request.user))})


@login_required
def plan_new(request):
    managed = _managed(request.user)
    require(managed, "只有系统管理员或机关负责人可以制定抽查计划。")
    items = PublicItem.objects.filter(agency__in=managed, list_kind=ListKind.INSPECTIONS, is_active=True).order_by("agency", "code")
    today = timezone.localdate()
    form = PlanForm(request.POST or None, items=items, partners=Agency.objects.filter(is_active=True).order_by("pk"),
                    initial={"year": today.year, "seed_source": SeedSource.LOTTERY, "inspectors_per_agency": 2})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        item = d.pop("item")
        d["partners"] = list(d["partners"])
        plan = apply_service(form, services.create_plan, request.user, item.agency, item=item, **d)
        if plan is not None:
            messages.success(request, f"已制定抽查计划 {plan.number}。下一步：核对名录库后固化名单。")
            return redirect("inspection-plan", plan.pk)
    return render(request, "org/form.html", {"form": form, "title": "制定抽查计划"}, status=400 if form.errors else 200)


@login_required
def plan_detail(request, pk):
    plan = selectors.get_plan(request.user, pk)
    draw = selectors.draw_of(plan)
    may = services.may_manage(request.user, plan.agency)
    seed_form = SeedForm(request.POST or None)
    if request.method == "POST":
        require(may, "只有系统管理员或本机关负责人可以录入随机种子。")
        if seed_form.is_valid() and apply_service(seed_form, services.enter_seed, request.user, plan, seed_form.cleaned_data["seed"]):
            messages.success(request, "已录入开奖号码并完成摇号，检查任务已分派。")
            return redirect("inspection-plan", plan.pk)
    tasks = CappedPaginator(plan.tasks.select_related("target").prefetch_related("inspectors__person").order_by("position"), 50).get_page(request.GET.get("page"))
    for task in tasks:
        task.team = "、".join(m.person.full_name for m in task.inspectors.all() if m.is_active)
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "draw": draw, "may_manage": may, "seed_form": seed_form, "tasks": tasks,
        "partners": plan.partners.order_by("pk"), "done": selectors.done_count(plan), "selected": plan.tasks.count(),
        "strata": services.strata_text(draw.parameters) if draw else "",
        "head": services.head_after(draw) if draw and not draw.seed and plan.seed_source == SeedSource.TREE_HEAD else None,
    }, status=400 if seed_form.errors else 200)


@login_required
@require_POST
def plan_commit(request, pk):
    plan = selectors.get_plan(request.user, pk)
    draw = service_message(request, services.commit_plan, request.user, plan)
    if draw is not None:
        messages.success(request, f"名单已固化：检查对象 {draw.target_count} 个，执法检查人员 {draw.inspector_count} 人；摘要已记入执法记录账本。")
    return redirect("inspection-plan", plan.pk)


@login_required
@require_POST
def plan_draw(request, pk):
    plan = selectors.get_plan(request.user, pk)
    draw = service_message(request, services.draw_from_tree_head, request.user, plan)
    if draw is not None:
        messages.success(request, "已按账本签名树头完成摇号。")
    elif not any(m.level_tag == "error" for m in messages.get_messages(request)):
        messages.warning(request, "名单固化后的第一个签名树头尚未生成（定时签名），请稍后再试；系统也会在树头生成后自动摇号。")
    return redirect("inspection-plan", plan.pk)


@login_required
def plan_record(request, pk):
    plan = selectors.get_plan(request.user, pk)
    return _record_response(plan)


def _record_response(plan):
    record = record_for(plan)
    if record is None:
        return JsonResponse({"detail": "该计划的名单尚未固化。"}, status=404)
    body = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{plan.pk}.json"'
    return response


# ---------------------------------------------------------------- 检查任务

@login_required
def tasks(request):
    filterset, qs = for_page(TaskFilter, request, selectors.visible_tasks(request.user))
    page = CappedPaginator(qs.order_by("-plan_id", "position"), 30).get_page(request.GET.get("page"))
    return render(request, "inspections/tasks.html", {"page": page, "filter": filterset})


@login_required
def task_detail(request, pk):
    task = selectors.get_task(request.user, pk)
    result_form = ResultForm(request.POST or None, initial={"checked_on": timezone.localdate()})
    if request.method == "POST":
        done = result_form.is_valid() and apply_service(result_form, services.record_result, request.user, task, **result_form.cleaned_data)
        if done:
            messages.success(request, "已录入检查结果，并在公示平台公开。")
            return redirect("inspection-task", task.pk)
    members = task.inspectors.select_related("person", "agency", "replaced_by__person").order_by("pk")
    is_member = any(m.person_id == request.user.pk and m.is_active for m in members)
    documents = task.case.documents.filter(doc_type__in=services.RESULT_DOCUMENTS, status="issued") if task.case_id else []
    return render(request, "inspections/task_detail.html", {
        "task": task, "members": members, "is_member": is_member, "may_act": services.may_act_on(request.user, task),
        "result_form": result_form, "recuse_form": RecuseForm(), "documents": documents, "due": services.result_due(task),
        "check_url": request.build_absolute_uri(reverse("public-inspection-check", args=[task.token])),
    }, status=400 if result_form.errors else 200)


@login_required
@require_POST
def task_start(request, pk):
    task = selectors.get_task(request.user, pk)
    case = service_message(request, services.start_task, request.user, task)
    if case is not None:
        messages.success(request, f"已开始检查，检查案件 {case.number}：请在案件中制作检查文书、上传现场音像记录。")
        return redirect("case-detail", case.pk)
    return redirect("inspection-task", task.pk)


@login_required
@require_POST
def task_recuse(request, pk, member_pk):
    task = selectors.get_task(request.user, pk)
    member = task.inspectors.filter(pk=member_pk).select_related("person").first() if member_pk < 2**63 else None
    form = RecuseForm(request.POST)
    if member is None:
        messages.error(request, "该人员不在本任务的检查组中。")
    elif not form.is_valid():
        messages.error(request, "请写明回避原因。")
    else:
        replacement = service_message(request, services.recuse, request.user, member, form.cleaned_data["reason"], denied_as_message=True)
        if replacement is not None:
            messages.success(request, f"{member.person.full_name}已回避，按公开规则替换为{replacement.person.full_name}。")
    return redirect("inspection-task", task.pk)


@login_required
def task_qr(request, pk):
    task = selectors.get_task(request.user, pk)
    return qr.response(request.build_absolute_uri(reverse("public-inspection-check", args=[task.token])))


# ---------------------------------------------------------------- 公示 (/gs/inspections/)

def public_list(request):
    plans = selectors.public_plans().order_by("-year", "-pk")
    page = CappedPaginator(plans, 30).get_page(request.GET.get("page"))
    return render(request, "inspections/public_list.html", {"page": page, "committed": selectors.public_committed().order_by("-pk")[:20]})


def public_plan(request, pk):
    plan = selectors.public_plan(pk)
    rows = CappedPaginator(selectors.public_results(plan), 50).get_page(request.GET.get("page"))
    for task in rows:
        task.shown_code, task.shown_name = services.public_identity(task.target)
    return render(request, "inspections/public_plan.html", {
        "plan": plan, "draw": plan.draw, "rows": rows, "partners": plan.partners.order_by("pk"), "outcomes": Outcome,
        "done": selectors.done_count(plan), "selected": plan.tasks.count(), "strata": services.strata_text(plan.draw.parameters),
    })


RESULT_COLUMNS = ["计划编号", "执法主体", "随机抽查事项", "序号", "检查对象", "统一社会信用代码或证件号码", "检查结果", "检查结束日期"]


def public_results_csv(request):
    """Open data: every recorded result of every drawn plan (or of one, ?plan=), streamed, natural persons masked."""
    rows = selectors.public_result_rows()
    plan = request.GET.get("plan", "")
    if plan:
        if not (plan.isascii() and plan.isdigit() and int(plan) < 2**63):
            return HttpResponse("计划编号应为整数。", status=400, content_type="text/plain; charset=utf-8")
        rows = rows.filter(plan_id=int(plan))

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow(RESULT_COLUMNS)
        for task in rows.iterator(chunk_size=2000):
            code, name = services.public_identity(task.target)
            writer.writerow([csv_cell(v) for v in (task.plan.number, task.plan.agency.name, task.plan.item.name, task.position, name, code,
                                                   task.get_outcome_display(), task.checked_on.isoformat() if task.checked_on else "")])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=inspection-results.csv"
    return response


def public_record_json(request, pk):
    return _record_response(selectors.public_plan(pk))


def verifier(request):
    """The verifier itself, as a download: the same file zhifa runs."""
    path = Path(drawing.__file__)
    response = FileResponse(path.open("rb"), content_type="text/x-python; charset=utf-8", as_attachment=True, filename="zhifa-draw-verify.py")
    return response


def public_check(request, token):
    """扫码入企: the business scans the code on the inspection notice and sees who may inspect it, and that the task is real."""
    task = selectors.public_task(token)
    today = timezone.localdate()
    team = []
    for member in selectors.public_team(task):
        credential = services.credential_of(member.person, today)
        team.append({"person": member.person, "agency": member.agency, "credential": credential})
    shown_code, shown_name = services.public_identity(task.target)
    return render(request, "inspections/public_check.html", {
        "task": task, "team": team, "shown_name": shown_name, "shown_code": shown_code, "today": today,
        "in_window": task.plan.starts_on <= today <= task.plan.ends_on,
    })


def public_check_qr(request, token):
    task = selectors.public_task(token)
    return qr.response(request.build_absolute_uri(reverse("public-inspection-check", args=[task.token])))
