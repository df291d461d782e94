"""Every read of cases, scoped to the acting user's agencies."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from zhifa.org.selectors import get_visible, scope_to_agencies

from .models import Case, CaseDeadline, CaseStatus, DeadlinePause


def visible_cases(user) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    return scope_to_agencies(Case.objects.select_related("agency", "opened_by").prefetch_related("procedure"), user)


def get_case(user, pk) -> Case:
    return get_visible(visible_cases(user), pk)


def visible_deadlines(user) -> QuerySet[CaseDeadline]:
    if not user.is_authenticated:
        return CaseDeadline.objects.none()
    return scope_to_agencies(CaseDeadline.objects.select_related("case", "case__agency"), user, "case__agency")


def overdue_deadlines(user):
    return overdue(visible_deadlines(user))


def due_soon_deadlines(user, days: int = 3):
    return due_soon(visible_deadlines(user), days)


def hearing_thresholds():
    """The 听证较大数额 standards: public rules, readable by every signed-in person (DOMAIN.md R4)."""
    from .models import HearingThreshold

    return HearingThreshold.objects.all()


# --- deadlines that need attention (reads; the deadline board, alerts and `zhifa cases overdue`) ---------


def _running(deadlines):
    """Limits not stopped by an open excluded period."""
    open_pauses = DeadlinePause.objects.filter(case=OuterRef("case"), deadline_code=OuterRef("code"), end_date__isnull=True)
    return deadlines.exclude(Exists(open_pauses))


def overdue(deadlines, today: datetime.date | None = None):
    """Agency deadlines past due and not met (party periods are the party's, not overdue work)."""
    today = today or timezone.localdate()
    return _running(deadlines.filter(met_on__isnull=True, party_period=False, due_date__lt=today, case__status=CaseStatus.OPEN))


def due_soon(deadlines, days: int = 3, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return _running(deadlines.filter(
        met_on__isnull=True, party_period=False, due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days),
        case__status=CaseStatus.OPEN,
    ))


def needing_attention(deadlines, workdays_ahead: int = 3, today: datetime.date | None = None):
    """Running agency deadlines due within `workdays_ahead` working days (a Friday looks to Wednesday) or already
    past due, for 待办 and the deadline alerts: overdue ∪ due_soon, read as one range."""
    from zhifa import workdays

    today = today or timezone.localdate()
    horizon = workdays.add_workdays(today, workdays_ahead).date
    return _running(deadlines.filter(met_on__isnull=True, party_period=False, due_date__lte=horizon, case__status=CaseStatus.OPEN))
