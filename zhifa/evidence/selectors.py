"""Every read of evidence and of the access log, scoped to the acting user's agencies."""

from django.db.models import QuerySet

from zhifa.core.roles import Role
from zhifa.org.selectors import get_visible, scope_to_agencies, sees_all_agencies

from .models import Evidence, EvidenceAccess


def visible_evidence(user) -> QuerySet[Evidence]:
    if not user.is_authenticated:
        return Evidence.objects.none()
    return scope_to_agencies(Evidence.objects.select_related("agency", "collector", "recorded_by"), user)


def may_view(user, evidence: Evidence) -> bool:
    return visible_evidence(user).filter(pk=evidence.pk).exists()


def get_evidence(user, pk) -> Evidence:
    return get_visible(visible_evidence(user), pk)


def may_see_access_log(user) -> bool:
    """调阅记录 are for supervisors, agency heads and administrators, not for the officers logged."""
    return bool(
        user.is_authenticated
        and (sees_all_agencies(user) or user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD))
    )


def visible_accesses(user) -> QuerySet[EvidenceAccess]:
    if not may_see_access_log(user):
        return EvidenceAccess.objects.none()
    return scope_to_agencies(
        EvidenceAccess.objects.select_related("evidence", "evidence__agency", "person", "person__agency"), user, "evidence__agency"
    )


def recordings_in_stage(case, stage: str) -> int:
    """Audio-video records of the case captured since it last entered `stage` (for the procedure's gates)."""
    import datetime

    entry = case.history.filter(stage=stage).order_by("-entered_at").first()
    if entry is None:
        return 0
    since = entry.entered_at - datetime.timedelta(hours=1)  # the camera may start just before the step is logged
    return Evidence.objects.filter(
        case=case, captured_at__gte=since, media_type__regex=r"^(audio|video)/"
    ).count()


def recorded_event(evidence):
    """The ledger event that recorded the evidence (its hashes as registered), shown beside the file."""
    from zhifa.ledger.models import LedgerEvent

    return LedgerEvent.objects.filter(kind="evidence.recorded", object_type="evidence.evidence", object_id=str(evidence.pk)).first()
