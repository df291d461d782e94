"""预警 raised by the scheduled jobs: once per key (a deadline's due date, a publication's due date …), recorded on
the ledger, so the dispatcher tells the people concerned and pushes it to subscribed platforms."""

from django.db import IntegrityError, transaction

from zhifa.ledger import services as ledger

from .models import Alert, Category
from .rules import Event, Notice, PushKind, notification_rules, push_kinds


def raise_alert(*, code: str, key: str, agency_id, title: str, body: str = "", link: str = "", recipients=()) -> Alert | None:
    """The alert, or None when this key was raised before (a job that runs again raises nothing new)."""
    if Alert.objects.filter(key=key[:200]).exists():
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(key=key[:200], code=code, agency_id=agency_id, title=title[:300], link=link[:300])
            ledger.append("workflow.alert.raised", obj=alert, agency_id=agency_id, data={
                "code": code, "key": alert.key, "title": alert.title, "body": body, "link": alert.link,
                "recipients": sorted({getattr(r, "pk", r) for r in recipients if r is not None}),
            })
    except IntegrityError:  # raised meanwhile by another worker
        return None
    return alert


def _notice(event: Event) -> list[Notice]:
    d = event.data
    return [Notice(d.get("recipients") or [], Category.DEADLINE, d.get("title", ""), d.get("body", ""), d.get("link", ""), key=f"alert:{d.get('key')}")]


def _payload(event: Event) -> dict:
    return {k: event.data.get(k) for k in ("code", "key", "title", "body")}  # whom it told stays inside


notification_rules.register(_notice, key="workflow.alert.raised")
push_kinds.register(PushKind("预警（办案期限超期、逾期未公示、逾期未撤回等）", _payload), key="workflow.alert.raised")
