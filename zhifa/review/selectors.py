from django.db.models import QuerySet
from django.utils import timezone

from zhifa.org.selectors import get_visible, scope_to_agencies

from .models import CatalogueRule, ReviewStatus, ReviewTask


def visible_tasks(user) -> QuerySet[ReviewTask]:
    if not user.is_authenticated:
        return ReviewTask.objects.none()
    return scope_to_agencies(ReviewTask.objects.select_related("case", "case__agency", "reviewer", "submitted_by"), user, "case__agency")


def get_task(user, pk) -> ReviewTask:
    return get_visible(visible_tasks(user), pk)


def overdue_tasks(user):
    return visible_tasks(user).filter(status=ReviewStatus.PENDING, due_date__lt=timezone.localdate())


def visible_rules(user) -> QuerySet[CatalogueRule]:
    if not user.is_authenticated:
        return CatalogueRule.objects.none()
    agencies = user.visible_agency_ids()
    rules = CatalogueRule.objects.select_related("agency")
    if agencies is None:
        return rules
    return rules.filter(agency__isnull=True) | rules.filter(agency_id__in=agencies)
