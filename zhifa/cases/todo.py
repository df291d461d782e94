"""The case deadlines in each person's 待办: the officer's own cases, the head's agency, the supervisor's region."""

from django.utils import timezone

from zhifa.core.roles import Role
from zhifa.workflow.todo import group

from . import selectors


def deadlines(user) -> list:
    today = timezone.localdate()
    rows = selectors.visible_deadlines(user)
    if user.has_role(Role.SUPERVISOR):
        late = selectors.overdue(rows, today).order_by("due_date", "pk")
        return [group("辖区内逾期的办案期限", late, lambda d: (f"{d.case.number} {d.name}（{d.case.agency.short_name}）", d.due_date, f"/cases/{d.case_id}/"),
                      link="/cases/deadlines/")]
    if not (user.has_role(Role.OFFICER) or user.has_role(Role.HEAD)):
        return []
    if not user.has_role(Role.HEAD):
        rows = rows.filter(case__officers__person=user)
    soon = selectors.needing_attention(rows, today=today)
    mine = [group("三个工作日内到期或已逾期的办案期限", soon.order_by("due_date", "pk").distinct(),
                  lambda d: (f"{d.case.number} {d.name}", d.due_date, f"/cases/{d.case_id}/"),
                  link="/cases/deadlines/", urgent=soon.filter(due_date__lte=today).distinct())]
    if user.has_role(Role.OFFICER) and not user.has_role(Role.HEAD):
        from .models import Case, CaseStatus

        cases = Case.objects.filter(officers__person=user, status=CaseStatus.OPEN).select_related("procedure").order_by("-pk").distinct()
        mine.append(group("我承办的在办案件", cases, lambda c: (f"{c.number} {c.title}：{c.stage_name}", None, f"/cases/{c.pk}/"), link="/cases/"))
    return mine
