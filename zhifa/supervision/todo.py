"""Clues in 待办: the agency's answers due, and the supervisor's clues to hand out or to close."""

from django.utils import timezone

from zhifa.workflow.todo import group

from .selectors import directives_to_reply, directives_to_review, to_review, waiting_for_me


def clues(user) -> list:
    rows = waiting_for_me(user)
    out = [group("待答复的监督线索", rows, lambda c: (c.title, c.due_date, f"/supervision/clues/{c.pk}/"), link="/supervision/clues/?status=assigned",
                 urgent=rows.filter(due_date__lt=timezone.localdate()))]
    review = to_review(user)
    out.append(group("待处理的监督线索", review, lambda c: (f"{c.title}（{c.get_status_display()}）", None, f"/supervision/clues/{c.pk}/"),
                     link="/supervision/clues/"))
    rows = directives_to_reply(user)
    out.append(group("待答复的监督文书", rows, lambda d: (f"{d.number} {d.subject}", d.due_date, f"/supervision/directives/{d.pk}/"),
                     link="/supervision/directives/?status=issued", urgent=rows.filter(due_date__lt=timezone.localdate())))
    review = directives_to_review(user)
    out.append(group("待审核的监督文书答复", review, lambda d: (f"{d.number} {d.agency.short_name}", None, f"/supervision/directives/{d.pk}/"),
                     link="/supervision/directives/?status=replied"))
    return out
