"""Issued documents still waiting for the party's signature, in the officers' 待办."""

from zhifa.core.roles import Role
from zhifa.workflow.todo import group

from . import specs
from .models import Document, DocumentStatus


def unsigned(user) -> list:
    if not (user.has_role(Role.OFFICER) and user.agency_id):
        return []
    rows = Document.objects.filter(
        case__officers__person=user, doc_type__in=specs.PARTY_SIGNS, status=DocumentStatus.ISSUED, signature="",
    ).select_related("case").order_by("issued_on", "pk").distinct()
    return [group("待登记当事人签名的文书", rows, lambda d: (f"{d.title} {d.number}（{d.case.number}）", d.issued_on, f"/documents/{d.pk}/"))]
