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
