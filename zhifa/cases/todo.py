"""The case deadlines in each person's 待办: the officer's own cases, the head's agency, the supervisor's region."""

import datetime

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
    soon = selectors.due_soon(rows, 3, today) | selectors.overdue(rows, today)
    return [group("三日内到期或已逾期的办案期限", soon.order_by("due_date", "pk").distinct(),
                  lambda d: (f"{d.case.number} {d.name}", d.due_date, f"/cases/{d.case_id}/"),
                  link="/cases/deadlines/", urgent=soon.filter(due_date__lte=today + datetime.timedelta(days=0)).distinct())]
