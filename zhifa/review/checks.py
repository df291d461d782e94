"""The review part of `zhifa ledger verify`: tasks and catalogue rules replayed from the ledger."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import CatalogueRule, ReviewTask
from .services import RULE_FIELDS, TASK_FIELDS

TASKS = replayed(Spec("review.reviewtask", "法制审核任务", created={"review.task.submitted", "review.task.decided", "review.task.escalated"}))
RULES = replayed(Spec("review.cataloguerule", "审核目录事项", created={"review.rule.created"}, updated={"review.rule.updated"}))


def check_review(report, check_files: bool) -> None:
    compare(
        report,
        TASKS,
        ((t.pk, str(t), ledger.snapshot(t, TASK_FIELDS)) for t in ReviewTask.objects.select_related("case").order_by("pk")),
        field_labels(ReviewTask),
    )
    compare(
        report,
        RULES,
        ((r.pk, r.name, ledger.snapshot(r, RULE_FIELDS)) for r in CatalogueRule.objects.order_by("pk")),
        field_labels(CatalogueRule),
    )
