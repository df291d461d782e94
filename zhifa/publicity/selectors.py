from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhifa.org.selectors import get_visible, scope_to_agencies

from .models import Publication, PublicationStatus


def public_publications() -> QuerySet[Publication]:
    """What the public may see: released, not withdrawn, within the publication period."""
    return Publication.objects.select_related("agency").filter(
        status=PublicationStatus.PUBLISHED, take_down_on__gt=timezone.localdate()
    )


def search(qs, q: str = "", agency: str = "", category: str = "", year: str = ""):
    """Substring search (works for two-character words such as 消防 on SQLite and PostgreSQL)."""
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(Q(party_name__icontains=q) | Q(conclusion__icontains=q) | Q(text__icontains=q) | Q(decision_number__icontains=q))
    if agency.isdigit():
        qs = qs.filter(agency_id=int(agency))
    if category:
        qs = qs.filter(category=category)
    if year.isdigit():
        qs = qs.filter(decision_date__year=int(year))
    return qs


def get_public(token: str) -> Publication:
    found = public_publications().filter(token=token).first()
    if found is None:
        raise Http404("未找到该公示信息，或已撤回、已过公示期。")
    return found


def visible_publications(user) -> QuerySet[Publication]:
    if not user.is_authenticated:
        return Publication.objects.none()
    return scope_to_agencies(Publication.objects.select_related("agency", "case"), user)


def get_publication(user, pk) -> Publication:
    return get_visible(visible_publications(user), pk)


def overdue_publications(user):
    return visible_publications(user).filter(status=PublicationStatus.PENDING, due_date__lt=timezone.localdate())
