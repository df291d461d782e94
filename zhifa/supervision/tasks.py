"""Scheduled supervision job (zhifa/core/jobs.py): the problem models, every hour."""

import datetime as dt

from zhifa.core.jobs import Schedule, job


@job("problem-models", "问题模型：查找监督线索", Schedule("hour"))
def problem_models() -> str:
    from .services import run_models

    counts = run_models()
    return f"发现 {counts['found']} 项，新线索 {counts['new']} 条，自动办结 {counts['closed']} 条"


@job("directive-escalation", "监督文书逾期未答复：升级督办", Schedule("day", dt.time(8, 15)))
def directive_escalation() -> str:
    """A directive past its reply date is raised once to the agency's heads and to every supervisor whose region
    covers the agency (the issuing agency and those above it)."""
    from django.utils import timezone

    from zhifa.core.roles import Role
    from zhifa.workflow.alerts import raise_alert
    from zhifa.workflow.people import supervisors_of, with_role

    from .models import Directive, DirectiveStatus

    raised = 0
    for d in Directive.objects.filter(status=DirectiveStatus.ISSUED, due_date__lt=timezone.localdate()).select_related("agency").order_by("pk"):
        raised += bool(raise_alert(
            code="directive_overdue", key=f"directive-overdue:{d.pk}:{d.due_date}", agency_id=d.agency_id,
            title=f"{d.agency.name}逾期未答复{d.get_kind_display()} {d.number}（{d.due_date:%Y-%m-%d} 到期）", body=d.subject,
            link=f"/supervision/directives/{d.pk}/", recipients=with_role(Role.HEAD, d.agency_id) + supervisors_of(d.agency_id),
        ))
    return f"升级督办 {raised} 件"
