"""Publications waiting for release in 待办 (heads and reviewers of the agency), due first."""

from django.utils import timezone

from zhifa.core.roles import Role
from zhifa.workflow.todo import group

from .models import Publication, PublicationStatus


def releases(user) -> list:
    if not (user.agency_id and (user.has_role(Role.HEAD) or user.has_role(Role.REVIEWER))):
        return []
    rows = Publication.objects.filter(agency_id=user.agency_id, status=PublicationStatus.PENDING).order_by("due_date", "pk")
    return [group("待审核发布的公示", rows, lambda p: (f"{p.decision_number} {p.party_name}", p.due_date, f"/publicity/{p.pk}/"), link="/publicity/",
                  urgent=rows.filter(due_date__lte=timezone.localdate()))]
