"""Every read of 双随机 that a person sees, scoped to the agencies they may see. A joint plan is seen by the
lead agency and every partner; a task by them and by its inspectors."""

from django.db.models import Q, QuerySet

from zhifa.org.selectors import get_visible, scope_to_agencies

from .models import Draw, Inspector, Plan, PlanStatus, Rule, Target, Task, TaskStatus, YearlyCap


def visible_targets(user) -> QuerySet[Target]:
    if not user.is_authenticated:
        return Target.objects.none()
    return scope_to_agencies(Target.objects.select_related("agency"), user)


def get_target(user, pk) -> Target:
    return get_visible(visible_targets(user), pk)


def visible_inspectors(user) -> QuerySet[Inspector]:
    if not user.is_authenticated:
        return Inspector.objects.none()
    return scope_to_agencies(Inspector.objects.select_related("agency", "person"), user)


def get_inspector(user, pk) -> Inspector:
    return get_visible(visible_inspectors(user), pk)


def visible_rules(user) -> QuerySet[Rule]:
    if not user.is_authenticated:
        return Rule.objects.none()
    return scope_to_agencies(Rule.objects.select_related("agency", "item"), user)


def caps() -> QuerySet[YearlyCap]:
    return YearlyCap.objects.all()


def visible_plans(user) -> QuerySet[Plan]:
    if not user.is_authenticated:
        return Plan.objects.none()
    plans = Plan.objects.select_related("agency", "item")
    agencies = user.visible_agency_ids()
    if agencies is None:
        return plans
    return plans.filter(Q(agency_id__in=agencies) | Q(partners__in=agencies)).distinct()


def get_plan(user, pk) -> Plan:
    return get_visible(visible_plans(user), pk)


def visible_tasks(user) -> QuerySet[Task]:
    if not user.is_authenticated:
        return Task.objects.none()
    tasks = Task.objects.select_related("plan", "plan__agency", "target", "case")
    agencies = user.visible_agency_ids()
    if agencies is None:
        return tasks
    mine = Task.objects.filter(inspectors__person=user).values("pk")
    return tasks.filter(Q(plan__agency_id__in=agencies) | Q(plan__partners__in=agencies) | Q(pk__in=mine)).distinct()


def get_task(user, pk) -> Task:
    return get_visible(visible_tasks(user), pk)


def my_tasks(user) -> QuerySet[Task]:
    return visible_tasks(user).filter(inspectors__person=user, inspectors__is_active=True)


# ---------------------------------------------------------------- the public

# The frozen pools and the drawn list are megabytes at a province's scale: read only for the record itself
# (records.public_record) and the services that draw and recuse.
HEAVY = ("targets", "inspectors", "initial")


def with_draw(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Plans with their draw's summary (not its pools) and their partners, for lists."""
    return plans.select_related("draw").defer(*(f"draw__{f}" for f in HEAVY)).prefetch_related("partners")


def public_plans() -> QuerySet[Plan]:
    """Plans whose draw has been made: their record, their tasks and the results are public."""
    return with_draw(Plan.objects.filter(status__in=(PlanStatus.DRAWN, PlanStatus.FINISHED)).select_related("agency", "item"))


def public_committed() -> QuerySet[Plan]:
    """Plans frozen but not drawn yet: their commitment (the hashes and the seed to come) is public."""
    return with_draw(Plan.objects.filter(status=PlanStatus.COMMITTED).select_related("agency", "item"))


def public_plan(pk) -> Plan:
    plans = Plan.objects.filter(status__in=(PlanStatus.COMMITTED, PlanStatus.DRAWN, PlanStatus.FINISHED)).select_related("agency", "item")
    return get_visible(with_draw(plans), pk)


def public_results(plan: Plan) -> QuerySet[Task]:
    return plan.tasks.select_related("target").order_by("position")


def public_result_rows() -> QuerySet[Task]:
    """Every recorded result of a drawn plan, newest plan first, as the open data lists them."""
    return (Task.objects.filter(plan__status__in=(PlanStatus.DRAWN, PlanStatus.FINISHED), status=TaskStatus.DONE)
            .select_related("plan", "plan__agency", "plan__item", "target").order_by("-plan_id", "position"))


def public_task(token: str) -> Task:
    from django.http import Http404

    task = (Task.objects.filter(token=token, plan__status__in=(PlanStatus.DRAWN, PlanStatus.FINISHED))
            .select_related("plan", "plan__agency", "plan__item", "target").first()) if isinstance(token, str) and len(token) <= 32 else None
    if task is None:
        raise Http404("没有这项检查任务。")
    return task


def public_team(task: Task):
    return task.inspectors.filter(is_active=True).select_related("person", "agency").prefetch_related("person__credentials").order_by("pk")


def draw_of(plan: Plan) -> Draw | None:
    """The plan's draw without its frozen pools and drawn list (records.record_for reads those)."""
    return Draw.objects.filter(plan=plan).select_related("committed_by").defer(*HEAVY).first()


def done_count(plan: Plan) -> int:
    return plan.tasks.filter(status=TaskStatus.DONE).count()
