"""统计年报: what each agency publishes about the previous year by 31 January (DOMAIN.md R1.5).

Counted from the case, document, review and publication records — never typed in.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum

from zhifa.cases.models import Case, CaseStatus, StageEntry
from zhifa.documents.models import Document, DocumentStatus
from zhifa.procedures.definitions import CATEGORIES
from zhifa.review.models import ReviewStatus, ReviewTask

from .models import Publication, PublicationStatus


def due_date(year: int) -> datetime.date:
    return datetime.date(year + 1, 1, 31)


def compute(agency, year: int) -> dict:
    cases = Case.objects.filter(agency=agency)
    opened = cases.filter(opened_on__year=year)
    by_category = {label: 0 for label in CATEGORIES.values()}
    for row in opened.values("procedure__category").annotate(n=Count("id")):
        by_category[CATEGORIES.get(row["procedure__category"], row["procedure__category"])] = row["n"]
    penalties = Document.objects.filter(
        agency=agency, status=DocumentStatus.ISSUED, issued_on__year=year, doc_type__in=("penalty_decision", "onsite_penalty_decision")
    )
    penalised = Case.objects.filter(pk__in=penalties.values("case_id"))
    fines = penalised.aggregate(total=Sum("fine_amount"))["total"] or Decimal("0")
    kinds: dict[str, int] = {}
    from zhifa.cases.models import PenaltyKind

    labels = dict(PenaltyKind.choices)
    for case in penalised.only("penalty_kinds"):
        for kind in case.penalty_kinds:
            kinds[labels.get(kind, kind)] = kinds.get(labels.get(kind, kind), 0) + 1
    reviews = ReviewTask.objects.filter(case__agency=agency, decided_on__year=year)
    review_counts = {label: reviews.filter(status=value).count() for value, label in ReviewStatus.choices if value != ReviewStatus.PENDING}
    publications = Publication.objects.filter(agency=agency, decision_date__year=year)
    published = publications.exclude(status=PublicationStatus.PENDING)
    on_time = sum(1 for p in published.only("published_on", "due_date") if p.published_on and p.published_on <= p.due_date)
    return {
        "agency": agency.name,
        "year": year,
        "cases_opened": opened.count(),
        "cases_closed": cases.filter(status=CaseStatus.CLOSED, closed_on__year=year).count(),
        "cases_by_category": by_category,
        "penalty_decisions": penalties.count(),
        "fines_total": str(fines.quantize(Decimal("0.01"))),
        "penalties_by_kind": kinds,
        "permit_decisions": Document.objects.filter(agency=agency, status=DocumentStatus.ISSUED, issued_on__year=year, doc_type="permit_decision").count(),
        "seizures": Document.objects.filter(agency=agency, status=DocumentStatus.ISSUED, issued_on__year=year, doc_type="seizure_decision").count(),
        "hearings": StageEntry.objects.filter(case__agency=agency, stage="hearing", entered_on__year=year).values("case").distinct().count(),
        "reviews": reviews.count(),
        "reviews_by_outcome": review_counts,
        "corrections": review_counts.get(dict(ReviewStatus.choices)[ReviewStatus.CORRECTED], 0),
        "publications": published.count(),
        "publications_on_time": on_time,
        "withdrawn": publications.filter(status=PublicationStatus.WITHDRAWN).count(),
    }
