"""Every read of cases, scoped to the acting user's agencies."""

from django.db.models import QuerySet

from zhifa.org.selectors import get_visible, scope_to_agencies

from . import services
from .models import Case, CaseDeadline


def visible_cases(user) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    return scope_to_agencies(Case.objects.select_related("agency", "procedure", "opened_by"), user)


def get_case(user, pk) -> Case:
    return get_visible(visible_cases(user), pk)


def visible_deadlines(user) -> QuerySet[CaseDeadline]:
    if not user.is_authenticated:
        return CaseDeadline.objects.none()
    return scope_to_agencies(CaseDeadline.objects.select_related("case", "case__agency"), user, "case__agency")


def overdue_deadlines(user):
    return services.overdue(visible_deadlines(user))


def due_soon_deadlines(user, days: int = 3):
    return services.due_soon(visible_deadlines(user), days)


def hearing_thresholds():
    """The 听证较大数额 standards: public rules, readable by every signed-in person (DOMAIN.md R4)."""
    from .models import HearingThreshold

    return HearingThreshold.objects.all()
