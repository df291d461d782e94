"""The calendar part of `zhifa ledger verify`: holiday overrides and published years replayed from the ledger."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import HolidayOverride, NumberSequence, PublishedCalendarYear
from .numbering import SEQUENCE_FIELDS
from .services import OVERRIDE_FIELDS

OVERRIDES = replayed(Spec("core.holidayoverride", "节假日调整", created={"core.calendar.day_set"}, removed={"core.calendar.day_removed"}))
YEARS = replayed(Spec("core.publishedcalendaryear", "年度放假安排发布记录", created={"core.calendar.year_published"}))
SEQUENCES = replayed(Spec("core.numbersequence", "编号序列", created={"core.number.allocated"}))


def check_calendar(report, check_files: bool) -> None:
    compare(
        report,
        OVERRIDES,
        ((o.pk, str(o.date), ledger.snapshot(o, OVERRIDE_FIELDS)) for o in HolidayOverride.objects.order_by("pk")),
        field_labels(HolidayOverride),
    )
    compare(
        report,
        YEARS,
        ((p.pk, str(p.year), ledger.snapshot(p, ["year", "source"])) for p in PublishedCalendarYear.objects.order_by("pk")),
        field_labels(PublishedCalendarYear),
    )
    compare(
        report,
        SEQUENCES,
        ((n.pk, f"{n.key}〔{n.year}〕", ledger.snapshot(n, SEQUENCE_FIELDS)) for n in NumberSequence.objects.order_by("pk")),
        field_labels(NumberSequence),
    )
