"""Agency scoping: the one place that decides which agencies a user may see.

- 系统管理员 (and Django superusers) see every agency.
- 监督人员 see the agencies inside their own agency's jurisdiction: every agency whose
  行政区划代码 falls under it (a 市司法局 sees the city's and its counties' agencies).
- Everyone else sees only their own agency.

Every other app scopes its reads with `scope_to_agencies(queryset, user, field)`.
"""

import datetime as dt
import math

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhifa.core.roles import Role, is_admin

from .models import Agency, ApiToken, Credential, CredentialStatus, Department, Person, PersonRole


def sees_all_agencies(user) -> bool:
    return is_admin(user)


def visible_agencies(user) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    if sees_all_agencies(user):
        return Agency.objects.all()
    if user.agency_id is None:
        return Agency.objects.none()
    if user.has_role(Role.SUPERVISOR):
        own = user.agency
        return Agency.objects.filter(Q(region_code__startswith=own.jurisdiction_prefix) | Q(pk=own.pk))
    return Agency.objects.filter(pk=user.agency_id)


def scope_to_agencies(queryset: QuerySet, user, field: str = "agency") -> QuerySet:
    if sees_all_agencies(user):
        return queryset
    return queryset.filter(**{f"{field}__in": visible_agencies(user)})


def visible_people(user) -> QuerySet[Person]:
    return scope_to_agencies(Person.objects.select_related("agency", "department"), user).prefetch_related(
        "role_assignments"
    )


def with_role_codes(people) -> list[Person]:
    """The people with their role codes set from one plain query (a prefetch builds a model instance per role)."""
    people = list(people)
    codes: dict[int, set[str]] = {p.pk: set() for p in people}
    for person_id, role in PersonRole.objects.filter(person_id__in=codes).values_list("person_id", "role"):
        codes[person_id].add(role)
    for person in people:
        person._role_codes = codes[person.pk]
    return people


def visible_departments(user) -> QuerySet[Department]:
    return scope_to_agencies(Department.objects.select_related("agency"), user)


def visible_credentials(user) -> QuerySet[Credential]:
    return scope_to_agencies(Credential.objects.select_related("person", "person__agency"), user, "person__agency")


def get_visible(queryset: QuerySet, pk):
    """One object from a scoped queryset; 404 when it does not exist or is out of scope."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该记录，或您无权查看。")


def get_agency(user, pk) -> Agency:
    """An agency the person may see; 404 otherwise."""
    return get_visible(visible_agencies(user), pk)


def can_manage(user) -> bool:
    return sees_all_agencies(user)


def api_token(user, pk) -> ApiToken:
    """A token its owner or an administrator may see and revoke; 404 for anyone else, as if it did not exist."""
    token = ApiToken.objects.select_related("person").filter(pk=pk).first()
    if token is None or not (token.person_id == user.pk or can_manage(user)):
        raise Http404("没有这个接口令牌。")
    return token


# --- staffing -------------------------------------------------------------------------


def _staffing(agency: Agency, officers: int, reviewers: int, qualified: int) -> dict:
    ratio = settings.ZHIFA_REVIEWER_RATIO
    required = math.ceil(officers * ratio) if officers else 0
    ok = reviewers >= officers * ratio
    return {
        "agency": agency,
        "officers": officers,
        "reviewers": reviewers,
        "qualified_reviewers": qualified,
        "required_reviewers": required,
        "ratio": (reviewers / officers) if officers else None,
        "ok": ok,
        "message": ""
        if ok
        else f"法制审核人员{reviewers}名，低于执法人员（{officers}名）的{ratio:.0%}，至少应配备{required}名。",
    }


def staffing_for(agencies) -> list[dict]:
    """Reviewers against the ≥5 % rule (DOMAIN.md R3.6) for each agency, in one query whatever their number."""
    agencies = list(agencies)
    counts = (
        PersonRole.objects.filter(person__agency__in=agencies, person__is_active=True, role__in=[Role.OFFICER, Role.REVIEWER])
        .values_list("person__agency_id", "role")
        .annotate(
            people=Count("person", distinct=True),
            qualified=Count("person", filter=Q(person__has_legal_qualification=True), distinct=True),
        )
        .order_by()
    )
    found = {(agency_id, role): (people, qualified) for agency_id, role, people, qualified in counts}
    return [
        _staffing(
            a,
            found.get((a.pk, Role.OFFICER), (0, 0))[0],
            *found.get((a.pk, Role.REVIEWER), (0, 0)),
        )
        for a in agencies
    ]


def staffing_report(agency: Agency) -> dict:
    return staffing_for([agency])[0]


def staffing_reports(user) -> list[dict]:
    return staffing_for(visible_agencies(user).filter(is_active=True))


def agency_summaries(user) -> QuerySet[Agency]:
    return visible_agencies(user).annotate(
        people_count=Count("people", filter=Q(people__is_active=True), distinct=True),
    ).order_by("region_code", "level", "name")


def expiring_credentials(user, days: int | None = None) -> QuerySet[Credential]:
    days = settings.ZHIFA_CREDENTIAL_EXPIRY_WARNING_DAYS if days is None else days
    today = timezone.localdate()
    return visible_credentials(user).filter(
        status=CredentialStatus.VALID, valid_until__lte=today + dt.timedelta(days=days)
    )


# --- public (no login) ------------------------------------------------------------------


def public_officer(token: str) -> Person:
    """An officer's public record (亮证执法): only active people of active agencies."""
    try:
        return Person.objects.select_related("agency").prefetch_related("credentials").get(
            public_token=token, is_active=True, agency__is_active=True
        )
    except Person.DoesNotExist:
        raise Http404("未找到该执法人员。")


def public_officers(query: str = "", agency_id=None) -> QuerySet[Person]:
    """The searchable public list of enforcement officers (执法人员清单, DOMAIN.md R1.6)."""
    today = timezone.localdate()
    # Only a credential valid today: status 有效 and today within its dates (an expired one is not shown).
    valid_now = Credential.objects.filter(status=CredentialStatus.VALID, valid_from__lte=today, valid_until__gte=today)
    qs = (
        Person.objects.filter(
            is_active=True,
            agency__is_active=True,
            role_assignments__role=Role.OFFICER,
            pk__in=valid_now.values("person_id"),
        )
        .select_related("agency")
        .prefetch_related(Prefetch("credentials", queryset=valid_now.order_by("valid_until"), to_attr="valid_credentials"))
        .distinct()
        .order_by("agency__region_code", "agency__name", "full_name")
    )
    if query:
        qs = qs.filter(
            Q(full_name__icontains=query) | Q(pk__in=valid_now.filter(number__icontains=query).values("person_id")) | Q(agency__name__icontains=query)
        )
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs
