from django.db.models import QuerySet

from zhifa.org.selectors import get_visible, scope_to_agencies

from . import specs
from .models import Document, DocumentStatus


def visible_documents(user) -> QuerySet[Document]:
    if not user.is_authenticated:
        return Document.objects.none()
    return scope_to_agencies(Document.objects.select_related("case", "agency", "created_by", "issued_by"), user)


def get_document(user, pk) -> Document:
    return get_visible(visible_documents(user), pk)


def issued_types(case) -> set[str]:
    """The document types a case has, for the procedure's gates: issued, and signed (or the refusal
    noted) where the party signs."""
    found = set()
    for doc_type, signature in case.documents.filter(status=DocumentStatus.ISSUED).values_list("doc_type", "signature"):
        if doc_type not in specs.PARTY_SIGNS or signature:
            found.add(doc_type)
    return found


def unsigned_types(case) -> set[str]:
    """Issued documents the party signs whose signature (or noted refusal) is not recorded yet."""
    return set(
        case.documents.filter(status=DocumentStatus.ISSUED, doc_type__in=specs.PARTY_SIGNS, signature="").values_list("doc_type", flat=True)
    ) - issued_types(case)


def served_on(case, doc_types):
    """The day the latest issued document of these types reached the party; None if it has not (yet)."""
    latest = (
        case.documents.filter(doc_type__in=list(doc_types), status=DocumentStatus.ISSUED)
        .order_by("-issued_on", "-pk").prefetch_related("services").first()
    )
    if latest is None:
        return None
    return min((s.served_on for s in latest.services.all()), default=None)
