from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhifa.core.pagination import CappedPaginator as _CappedPaginator
from zhifa.core.text import query_id
from zhifa.org.selectors import get_visible, scope_to_agencies

from .models import Publication, PublicationCategory, PublicationStatus
from .search import filter_tokens, matching_ids


def public_publications() -> QuerySet[Publication]:
    """What the public may see: released, not withdrawn, within the publication period."""
    return Publication.objects.select_related("agency").filter(
        status=PublicationStatus.PUBLISHED, take_down_on__gt=timezone.localdate()
    )


def _year(text: str) -> bool:
    """A year filter the database can use (anything else is ignored, as an unknown filter is)."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= 9999


def search(qs, q: str = "", agency: str = "", category: str = "", year: str = "", limit: int | None = None):
    """Full-text search over the public text; two-character words such as 消防 use the bigram index.
    `limit`: how many of the newest matches are wanted (at most SEARCH_CAP + 1); a page asks for what it shows
    and one more, so page 1 of a long phrase never looks for two hundred matches."""
    q = (q or "").strip()[:50]
    limit = SEARCH_CAP + 1 if limit is None else max(1, min(limit, SEARCH_CAP + 1))
    if q:
        tokens = filter_tokens(
            year=year if _year(year) else None, agency_id=query_id(agency),
            category=category if category in PublicationCategory.values else None,
        )
        # A search lists the newest SEARCH_CAP matches (and knows whether there are more); older ones are
        # reached by adding the year or the agency, which the index answers as cheaply.
        indexed = matching_ids(q, limit, tokens)
        if indexed is not None:
            qs = qs.filter(pk__in=indexed)
        else:  # a single character: a plain scan
            qs = qs.filter(Q(party_name__icontains=q) | Q(conclusion__icontains=q) | Q(text__icontains=q) | Q(decision_number__icontains=q))
    if agency:
        qs = qs.filter(agency_id=query_id(agency))  # an impossible ID matches nothing
    if category:
        qs = qs.filter(category=category)
    if _year(year):
        qs = qs.filter(decision_date__year=int(year))
    return qs


def withdrawn_publications() -> QuerySet[Publication]:
    """Decisions that were public and then withdrawn: their page stays, saying when and why (第四十八条)."""
    return Publication.objects.select_related("agency").filter(status=PublicationStatus.WITHDRAWN, published_on__isnull=False)


def open_data_publications() -> QuerySet[Publication]:
    """Feeds and open data: what is public, and the withdrawals, so a consumer removes what it copied."""
    return Publication.objects.select_related("agency").filter(
        Q(status=PublicationStatus.PUBLISHED, take_down_on__gt=timezone.localdate())
        | Q(status=PublicationStatus.WITHDRAWN, published_on__isnull=False)
    )


def get_public(token: str) -> Publication:
    found = (public_publications() | withdrawn_publications()).prefetch_related("corrections").filter(token=token).first()
    if found is None:
        raise Http404("未找到该公示信息，或已过公示期。")
    return found


def withdrawals_due(user, today=None) -> QuerySet[Publication]:
    """Decisions changed, revoked or found unlawful whose publication is not withdrawn yet, with the limit
    (3 working days from the trigger) nearest first: the alert list on the queue page and the CLI."""
    return visible_publications(user).filter(status=PublicationStatus.PUBLISHED, withdrawal_due__isnull=False).order_by("withdrawal_due")


def visible_publications(user) -> QuerySet[Publication]:
    if not user.is_authenticated:
        return Publication.objects.none()
    return scope_to_agencies(Publication.objects.select_related("agency", "case"), user)


def get_publication(user, pk) -> Publication:
    return get_visible(visible_publications(user), pk)


def late_publications(today=None) -> QuerySet[Publication]:
    """Decisions past their publication deadline and still not public (every agency's)."""
    return Publication.objects.filter(status=PublicationStatus.PENDING, due_date__lt=today or timezone.localdate())


def late_withdrawals(today=None) -> QuerySet[Publication]:
    """Publications still shown after the date by which they had to be withdrawn (行政处罚法第四十八条)."""
    return Publication.objects.filter(status=PublicationStatus.PUBLISHED, withdrawal_due__lt=today or timezone.localdate())


def overdue_publications(user):
    return visible_publications(user).filter(status=PublicationStatus.PENDING, due_date__lt=timezone.localdate())


COUNT_CAP = 2000
# Finding the newest 2,001 matches of a long phrase meant walking half a million rows' postings; 201 is a tenth.
SEARCH_CAP = 200


def search_page_cap(page_number, per_page: int) -> int:
    """How many matches a search page counts: up to the end of the requested page, plus one to know that a next
    page exists ("共 21+ 条" on page 1), never beyond SEARCH_CAP. A page number that is not one counts as page 1."""
    text = str(page_number or "")
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 1
    return min(SEARCH_CAP, max(1, number) * per_page + 1)


class CappedPaginator(_CappedPaginator):
    """The portal's pages: at most COUNT_CAP rows, or SEARCH_CAP matches of a search."""

    def __init__(self, queryset, per_page: int, cap: int = COUNT_CAP):
        super().__init__(queryset, per_page, cap=cap)


def agencies_with_publications():
    """Agencies that have published anything, for the portal's filter (EXISTS: no DISTINCT over every row)."""
    from django.db.models import Exists, OuterRef

    from zhifa.org.models import Agency

    return Agency.objects.filter(Exists(Publication.objects.filter(agency=OuterRef("pk")))).order_by("region_code", "name")


def setting_for(agency):
    from .models import PublicitySetting

    return PublicitySetting.objects.filter(agency=agency).first()


def annual_reports():
    """Annual statistics reports are public (XXGK 50)."""
    from .models import AnnualReport

    return AnnualReport.objects.select_related("agency")


def get_annual_report(pk):
    try:
        return annual_reports().get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, annual_reports().model.DoesNotExist):
        raise Http404("未找到该统计年报。")
