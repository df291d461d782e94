"""Who hears of a clue (workflow.rules.notification_rules): the person it is sent to."""

from zhifa.workflow.models import Category
from zhifa.workflow.rules import Event, Notice


def assigned(event: Event) -> list[Notice]:
    person = event.data.get("assigned_to")
    if not person:
        return []
    return [Notice([person], Category.SUPERVISION, f"监督线索交办：{event.data.get('title', '')}",
                   f"请于 {event.data.get('due_date')} 前在系统中说明情况或报告整改情况。{event.data.get('note') or ''}",
                   f"/supervision/clues/{event.object_id}/")]


def _directive(event: Event):
    from .models import Directive

    return Directive.objects.filter(pk=event.object_id).select_related("agency").first()


def _to_heads(d, title: str, body: str) -> list[Notice]:
    from zhifa.core.roles import Role
    from zhifa.workflow.people import with_role

    return [Notice(with_role(Role.HEAD, d.agency_id), Category.SUPERVISION, title, body, f"/supervision/directives/{d.pk}/")]


def directive_issued(event: Event) -> list[Notice]:
    d = _directive(event)
    return _to_heads(d, f"收到{d.get_kind_display()}：{d.number}", f"{d.subject}。请于 {d.due_date:%Y-%m-%d} 前在系统中答复。") if d else []


def directive_replied(event: Event) -> list[Notice]:
    d = _directive(event)
    if d is None:
        return []
    return [Notice([d.issued_by_id], Category.SUPERVISION, f"{d.agency.short_name}已答复 {d.number}", d.reply[:200], f"/supervision/directives/{d.pk}/")]


def directive_returned(event: Event) -> list[Notice]:
    d = _directive(event)
    return _to_heads(d, f"{d.number} 的答复被退回，请重新答复", f"{d.review_note}（{d.due_date:%Y-%m-%d} 前）") if d else []
