"""事前公开 lists are public; only active items show, with their version history."""

from django.db.models import Q
from django.http import Http404

from zhifa.org.models import Agency

from .models import PublicItem


def public_agencies(q: str = ""):
    """Active 执法主体, found by name, region or sector (事前公开 of the subjects themselves)."""
    q = (q or "").strip()[:50]
    agencies = Agency.objects.filter(is_active=True)
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(region_name__icontains=q) | Q(sector__icontains=q))
    return agencies


def get_public_agency(pk) -> Agency:
    try:
        return Agency.objects.get(pk=int(pk), is_active=True)
    except (Agency.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该执法主体。")


def public_items(agency=None, list_kind=None):
    qs = PublicItem.objects.filter(is_active=True).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if list_kind:
        qs = qs.filter(list_kind=list_kind)
    return qs


def get_public_item(pk) -> PublicItem:
    try:
        return PublicItem.objects.select_related("agency").get(pk=int(pk))
    except (PublicItem.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该事项。")


PUBLIC_AGENCY_FIELDS = {"name": "名称", "short_name": "机关代字", "kind": "主体类型", "sector": "执法领域", "address": "办公地址",
                        "phone": "办公电话", "office_hours": "办公时间", "is_active": "有效", "parent": "上级业务主管部门"}


def agency_history(agency) -> list[dict]:
    """The agency's public particulars as changed over time, read from the ledger (the record of truth)."""
    from django.utils import timezone

    from zhifa.ledger.models import LedgerEvent  # the ledger is above every app

    history = []
    for event in LedgerEvent.objects.filter(object_type="org.agency", object_id=str(agency.pk)).order_by("seq"):
        data = event.parsed.get("data", {})
        changes = data.get("changes") if event.kind == "org.agency.updated" else None
        items = [(PUBLIC_AGENCY_FIELDS[k], v[0], v[1]) for k, v in (changes or {}).items() if k in PUBLIC_AGENCY_FIELDS]
        if event.kind == "org.agency.created" or items:
            history.append({"at": timezone.localtime(event.recorded_at), "created": event.kind == "org.agency.created", "items": items, "seq": event.seq})
    return history
