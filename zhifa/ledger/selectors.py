"""Scoped reads of the ledger. Events carry their agency; who may read which agencies comes from
the acting user, so the ledger needs no domain app: it asks the user object for `visible_agency_ids()` (None =
every agency) and `has_role(name)` with the role names of core.roles ("supervisor", "head").
"""

from django.db.models import QuerySet
from django.http import Http404

from .models import Cosignature, LedgerEvent, TreeHead, Witness


def may_read_ledger(user) -> bool:
    return bool(user.is_authenticated)


def visible_events(user) -> QuerySet[LedgerEvent]:
    if not may_read_ledger(user):
        return LedgerEvent.objects.none()
    agencies = user.visible_agency_ids()
    if agencies is None:
        return LedgerEvent.objects.all()
    events = LedgerEvent.objects.filter(agency_id__in=agencies)
    if not (user.has_role("supervisor") or user.has_role("head")):
        events = events.exclude(kind="evidence.accessed")  # 调阅 records are for supervisors and heads
    return events


def get_event(user, seq) -> LedgerEvent:
    try:
        return visible_events(user).get(seq=int(seq))
    except (LedgerEvent.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该账本事件，或您无权查看。")


def latest_tree_head() -> TreeHead | None:
    """Tree heads are public: they reveal only a size, a time and a hash."""
    return TreeHead.objects.select_related("key").order_by("-tree_size").first()


def last_verification() -> dict | None:
    """When `zhifa ledger verify` last ran and whether it passed (its event is itself in the ledger)."""
    event = LedgerEvent.objects.filter(kind="ledger.verified").order_by("-seq").first()
    if event is None:
        return None
    return {"event": event, **event.parsed.get("data", {})}


def witnesses() -> list[Witness]:
    """Every registered witness with its latest cosignature (public facts: names, sizes, times)."""
    rows = list(Witness.objects.order_by("-active", "id"))
    for row in rows:  # a handful of witnesses: one indexed look-up each
        row.latest = Cosignature.objects.filter(witness_key_id=row.key_id).order_by("-tree_size").first()
    return rows
