"""Every read of clues, scoped: supervisors see the agencies of their region, an agency's head and the person a
clue was sent to see that agency's; a clue about the platform itself only those who see every agency."""

from django.db.models import Q, QuerySet

from zhifa.core.roles import Role, is_admin
from zhifa.org.selectors import get_visible, sees_all_agencies

from .models import Clue, ClueStatus, Directive, DirectiveStatus


def visible_clues(user) -> QuerySet[Clue]:
    if not user.is_authenticated:
        return Clue.objects.none()
    clues = Clue.objects.select_related("agency", "assigned_to")
    if sees_all_agencies(user) and (user.has_role(Role.SUPERVISOR) or is_admin(user)):
        return clues
    if user.has_role(Role.SUPERVISOR):
        return clues.filter(agency_id__in=user.visible_agency_ids() or [])
    if user.has_role(Role.HEAD) and user.agency_id:
        return clues.filter(agency_id=user.agency_id)
    return clues.filter(assigned_to=user)


def get_clue(user, pk) -> Clue:
    return get_visible(visible_clues(user), pk)


def waiting_for_me(user) -> QuerySet[Clue]:
    """Clues sent to this person (or to their agency, for its head) and not yet answered."""
    mine = Q(assigned_to=user)
    if user.has_role(Role.HEAD) and user.agency_id:
        mine |= Q(agency_id=user.agency_id)
    return Clue.objects.filter(mine, status=ClueStatus.ASSIGNED).order_by("due_date", "pk")


def to_review(user) -> QuerySet[Clue]:
    """For a supervisor: new clues and answers waiting for a decision, in their region."""
    if not user.has_role(Role.SUPERVISOR):
        return Clue.objects.none()
    return visible_clues(user).filter(status__in=(ClueStatus.NEW, ClueStatus.EXPLAINED, ClueStatus.CORRECTED)).order_by("-pk")


def visible_directives(user) -> QuerySet[Directive]:
    """Supervisors: those to the agencies of their region; an agency's people: those to their agency."""
    if not user.is_authenticated:
        return Directive.objects.none()
    directives = Directive.objects.select_related("agency", "issuer_agency", "issued_by", "case")
    if user.has_role(Role.SUPERVISOR) or is_admin(user):
        agencies = user.visible_agency_ids()
        return directives if agencies is None else directives.filter(agency_id__in=agencies)
    if user.agency_id:
        return directives.filter(agency_id=user.agency_id)
    return Directive.objects.none()


def get_directive(user, pk) -> Directive:
    return get_visible(visible_directives(user), pk)


def directives_to_reply(user) -> QuerySet[Directive]:
    if not (user.has_role(Role.HEAD) and user.agency_id):
        return Directive.objects.none()
    return Directive.objects.filter(agency_id=user.agency_id, status=DirectiveStatus.ISSUED).order_by("due_date", "pk")


def directives_to_review(user) -> QuerySet[Directive]:
    if not user.has_role(Role.SUPERVISOR):
        return Directive.objects.none()
    return visible_directives(user).filter(status=DirectiveStatus.REPLIED).order_by("replied_at", "pk")


def report_status(user, year: int) -> list[dict]:
    """Each enforcing agency the person sees, with its annual report for the year and whether it was submitted."""
    from zhifa.org.selectors import visible_agencies
    from zhifa.publicity.models import AnnualReport

    from .models import ReportSubmission

    agencies = list(visible_agencies(user).filter(is_supervisory=False, is_active=True).order_by("region_code", "pk"))
    reports = {r.agency_id: r for r in AnnualReport.objects.filter(year=year, agency__in=agencies).only("pk", "agency_id", "pdf_sm3")}
    submissions = {s.agency_id: s for s in ReportSubmission.objects.filter(year=year, agency__in=agencies)}
    return [{"agency": a, "report": reports.get(a.pk), "submission": submissions.get(a.pk),
             "current": a.pk in submissions and a.pk in reports and submissions[a.pk].report_sm3 == reports[a.pk].pdf_sm3} for a in agencies]


def regional_reports():
    from .models import RegionalReport

    return RegionalReport.objects.select_related("authority").order_by("-year", "authority__region_code")
