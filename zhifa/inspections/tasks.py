"""Scheduled 双随机 jobs (zhifa/core/jobs.py): draws seeded by the ledger's next signed head, and overdue tasks."""

import datetime as dt

from django.utils import timezone

from zhifa.core.jobs import Schedule, job


def tree_head_draws() -> int:
    """Every minute (zhifa.core.tasks.minute_hooks): plans seeded by the ledger are drawn once their head exists."""
    from django.core.exceptions import ValidationError

    from zhifa.workflow.alerts import raise_alert
    from zhifa.workflow.people import administrators

    from . import services
    from .models import Plan, PlanStatus, SeedSource

    made = 0
    for plan in Plan.objects.filter(status=PlanStatus.COMMITTED, seed_source=SeedSource.TREE_HEAD).order_by("pk"):
        try:
            if services.draw_from_tree_head(None, plan) is not None:
                made += 1
        except ValidationError as exc:  # the frozen pools no longer match their commitment: someone must look
            raise_alert(code="inspection_draw_failed", key=f"inspection-draw-failed:{plan.pk}", agency_id=plan.agency_id,
                        title=f"{plan.number} 未能摇号：{'；'.join(exc.messages)}", link=f"/inspections/plans/{plan.pk}/",
                        recipients=administrators())
    return made


@job("inspection-alerts", "双随机：检查期满未录入结果、逾期未公示预警", Schedule("day", dt.time(7, 45)))
def inspection_alerts() -> str:
    from zhifa.core.roles import Role
    from zhifa.workflow.alerts import raise_alert
    from zhifa.workflow.people import with_role

    from . import services
    from .models import Task, TaskStatus

    raised = 0
    today = timezone.localdate()
    late = Task.objects.filter(plan__ends_on__lt=today).exclude(status=TaskStatus.DONE).select_related("plan", "target")
    for task in late.iterator(chunk_size=2000):
        due = services.result_due(task)
        overdue = today > due
        recipients = list(task.inspectors.filter(is_active=True).values_list("person_id", flat=True)) + with_role(Role.HEAD, task.plan.agency_id)
        title = (f"{task.plan.number} 检查对象 {task.target.name} 的检查结果已逾期未公示（应于 {due:%Y-%m-%d} 前）" if overdue
                 else f"{task.plan.number} 检查期间已届满，检查对象 {task.target.name} 尚未录入检查结果（{due:%Y-%m-%d} 前须公示）")
        key = f"inspection-{'overdue' if overdue else 'late'}:{task.pk}"
        if raise_alert(code="inspection_overdue" if overdue else "inspection_late", key=key, agency_id=task.plan.agency_id, title=title,
                       link=f"/inspections/tasks/{task.pk}/", recipients=recipients):
            raised += 1
    return f"新预警 {raised} 项"
