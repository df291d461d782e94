"""The supervision part of `zhifa ledger verify`: clues replayed from the ledger (a clue deleted or quietly closed
in the database is named)."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import Clue, Directive, RegionalReport, ReportSubmission
from .services import CLUE_FIELDS, DIRECTIVE_FIELDS, REGIONAL_FIELDS, SUBMISSION_FIELDS

CLUES = replayed(Spec("supervision.clue", "监督线索", created={
    "supervision.clue.found", "supervision.clue.assigned", "supervision.clue.answered", "supervision.clue.closed"}))


DIRECTIVES = replayed(Spec("supervision.directive", "监督文书", created={
    "supervision.directive.issued", "supervision.directive.replied", "supervision.directive.returned", "supervision.directive.closed"}))


SUBMISSIONS = replayed(Spec("supervision.reportsubmission", "统计年报报送", created={"supervision.report.submitted"}))
REGIONAL = replayed(Spec("supervision.regionalreport", "地区统计年报", created={"supervision.report.regional_published"}))


def check_supervision(report, check_files: bool) -> None:
    compare(report, SUBMISSIONS, ((s.pk, f"{s.agency} {s.year}", ledger.snapshot(s, SUBMISSION_FIELDS))
                                  for s in ReportSubmission.objects.select_related("agency").order_by("pk")), field_labels(ReportSubmission))
    compare(report, REGIONAL, ((r.pk, f"{r.authority} {r.year}", ledger.snapshot(r, REGIONAL_FIELDS))
                               for r in RegionalReport.objects.select_related("authority").order_by("pk")), field_labels(RegionalReport))
    compare(report, DIRECTIVES, ((d.pk, d.number, ledger.snapshot(d, DIRECTIVE_FIELDS)) for d in Directive.objects.order_by("pk")),
            field_labels(Directive))
    compare(report, CLUES, ((c.pk, c.title, ledger.snapshot(c, CLUE_FIELDS)) for c in Clue.objects.order_by("pk").iterator(chunk_size=5000)),
            field_labels(Clue))
