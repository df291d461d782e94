"""The one numbering service: 机关代字 + 类型代码 + 〔年度〕 + 顺序号 + 号 (DOMAIN.md R6.3).

The sequence runs per agency, per type and per year, with no leading zeros and no “第”.
"""

from django.db import transaction

from .models import NumberSequence


def format_number(prefix: str, type_code: str, year: int, value: int) -> str:
    return f"{prefix}{type_code}〔{year}〕{value}号"


SEQUENCE_FIELDS = ["key", "year", "last_value"]


@transaction.atomic
def allocate(key: str, year: int) -> int:
    """The next value of series (key, year); the row lock makes concurrent callers queue.

    Each allocation is on the ledger with the series' new state, so a sequence wound back in the
    database (to issue a number twice) is named by `zhifa ledger verify`."""
    from zhifa.ledger import services as ledger

    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(key=key, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    agency = key.split(":", 1)[0]
    ledger.append(
        "core.number.allocated",
        obj=sequence,
        agency_id=int(agency) if agency.isdigit() else None,
        data=ledger.snapshot(sequence, SEQUENCE_FIELDS),
    )
    return sequence.last_value


def next_number(*, agency_id: int, prefix: str, type_code: str, year: int) -> str:
    return format_number(prefix, type_code, year, allocate(f"{agency_id}:{type_code}", year))
