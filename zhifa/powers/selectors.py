"""事前公开 lists are public; only active items show, with their version history."""

from django.http import Http404

from .models import PublicItem


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
