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
