"""双随机 in 待办: the inspector's drawn tasks by the plan's end; the head's plans waiting for their seed."""

from django.utils import timezone

from zhifa.core.roles import Role
from zhifa.workflow.todo import group

from .models import Plan, PlanStatus, SeedSource, Task, TaskStatus


def my_tasks(user) -> list:
    out = []
    rows = (Task.objects.filter(inspectors__person=user, inspectors__is_active=True, status__in=(TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS))
            .select_related("plan", "target").order_by("plan__ends_on", "pk"))
    out.append(group("双随机检查任务", rows, lambda t: (f"{t.target.name}（{t.plan.number}）", t.plan.ends_on, f"/inspections/tasks/{t.pk}/"),
                     link="/inspections/tasks/?mine=1", urgent=rows.filter(plan__ends_on__lte=timezone.localdate())))
    if user.has_role(Role.HEAD) and user.agency_id:
        plans = Plan.objects.filter(agency_id=user.agency_id, status=PlanStatus.COMMITTED, seed_source=SeedSource.LOTTERY).order_by("pk")
        out.append(group("待录入开奖号码摇号", plans, lambda p: (f"{p.number} {p.title}（{p.seed_description}）", None, f"/inspections/plans/{p.pk}/"),
                         link="/inspections/plans/?status=committed"))
    return out
