"""Scheduled case jobs (zhifa/core/jobs.py): the daily deadline alerts."""

import datetime as dt

from django.utils import timezone

from zhifa.core.jobs import Schedule, job

SOON_DAYS = 3  # working days


@job("deadline-alerts", "办案期限预警（三个工作日内届满、已超期）", Schedule("day", dt.time(7, 30)))
def deadline_alerts() -> str:
    """Each running agency deadline due within three working days or past due, once per deadline, due date and state: to the
    case's officers, and when past due to the agency's heads too."""
    from zhifa.core.roles import Role
    from zhifa.workflow.alerts import raise_alert
    from zhifa.workflow.models import Alert
    from zhifa.workflow.people import with_role

    from .models import CaseDeadline, CaseOfficer
    from .selectors import needing_attention

    today = timezone.localdate()
    rows = list(needing_attention(CaseDeadline.objects.all(), SOON_DAYS, today).select_related("case").order_by("due_date", "pk"))
    keys = {d.pk: f"deadline:{d.pk}:{d.due_date}:{'overdue' if d.due_date < today else 'soon'}" for d in rows}
    seen = set(Alert.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    fresh = [d for d in rows if keys[d.pk] not in seen]
    officers: dict[int, list[int]] = {}
    for case_id, person_id in CaseOfficer.objects.filter(case_id__in={d.case_id for d in fresh}).values_list("case_id", "person_id"):
        officers.setdefault(case_id, []).append(person_id)
    heads: dict[int, list[int]] = {}
    raised = 0
    for d in fresh:
        late = d.due_date < today
        recipients = list(officers.get(d.case_id, []))
        if late:
            recipients += heads.setdefault(d.case.agency_id, with_role(Role.HEAD, d.case.agency_id))
        title = f"{d.case.number} {d.name}" + (f"已超期（{d.due_date:%Y-%m-%d} 届满）" if late else f"将于 {d.due_date:%Y-%m-%d} 届满")
        if raise_alert(code="deadline_overdue" if late else "deadline_soon", key=keys[d.pk], agency_id=d.case.agency_id, title=title,
                       body=f"{d.case.title}｜{d.rule}｜{d.basis}", link=f"/cases/{d.case_id}/", recipients=recipients):
            raised += 1
    return f"新预警 {raised} 项（在办期限 {len(rows)} 项须关注）"
