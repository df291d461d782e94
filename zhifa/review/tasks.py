"""Scheduled legal-review job (zhifa/core/jobs.py): reviews past their time limit."""

import datetime as dt

from django.utils import timezone

from zhifa.core.jobs import Schedule, job


@job("review-alerts", "法制审核超期预警", Schedule("day", dt.time(7, 30)))
def review_alerts() -> str:
    from zhifa.core.roles import Role
    from zhifa.workflow.alerts import raise_alert
    from zhifa.workflow.people import with_role

    from .models import ReviewStatus, ReviewTask

    raised = 0
    late = ReviewTask.objects.filter(status=ReviewStatus.PENDING, due_date__lt=timezone.localdate()).select_related("case")
    for t in late:
        recipients = with_role(Role.REVIEWER, t.case.agency_id) + [t.submitted_by_id]
        if raise_alert(code="review_overdue", key=f"review-overdue:{t.pk}:{t.due_date}", agency_id=t.case.agency_id,
                       title=f"{t.case.number} 法制审核已超过期限（{t.due_date:%Y-%m-%d}）", body=t.case.title, link=f"/review/{t.pk}/",
                       recipients=recipients):
            raised += 1
    return f"新预警 {raised} 项"
