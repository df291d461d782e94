"""Legal reviews in 待办: the reviewer's queue by due date; the head's cases escalated to 集体讨论."""

from django.utils import timezone

from zhifa.core.roles import Role
from zhifa.workflow.todo import group

from .models import ReviewStatus, ReviewTask


def reviews(user) -> list:
    out = []
    if user.has_role(Role.REVIEWER) and user.agency_id:
        rows = ReviewTask.objects.filter(case__agency_id=user.agency_id, status=ReviewStatus.PENDING).select_related("case").order_by("due_date", "pk")
        out.append(group("待法制审核", rows, lambda t: (f"{t.case.number} {t.case.title}", t.due_date, f"/review/{t.pk}/"), link="/review/",
                         urgent=rows.filter(due_date__lte=timezone.localdate())))
    if user.has_role(Role.HEAD) and user.agency_id:
        rows = ReviewTask.objects.filter(case__agency_id=user.agency_id, status=ReviewStatus.ESCALATED).select_related("case").order_by("pk")
        out.append(group("待集体讨论", rows, lambda t: (f"{t.case.number} {t.case.title}", None, f"/review/{t.pk}/"), link="/review/?status=escalated"))
    return out
