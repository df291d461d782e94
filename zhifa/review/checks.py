"""The review part of `zhifa ledger verify`: tasks and catalogue rules replayed from the ledger."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels

from .models import CatalogueRule, ReviewTask
from .services import RULE_FIELDS, TASK_FIELDS


def check_review(report, check_files: bool) -> None:
    compare(
        report,
        Spec("review.reviewtask", "法制审核任务", created={"review.task.submitted", "review.task.decided", "review.task.escalated"}),
        ((t.pk, str(t), ledger.snapshot(t, TASK_FIELDS)) for t in ReviewTask.objects.select_related("case").order_by("pk")),
        field_labels(ReviewTask),
    )
    compare(
        report,
        Spec("review.cataloguerule", "审核目录事项", created={"review.rule.created"}, updated={"review.rule.updated"}),
        ((r.pk, r.name, ledger.snapshot(r, RULE_FIELDS)) for r in CatalogueRule.objects.order_by("pk")),
        field_labels(CatalogueRule),
    )
