"""The one numbering service: 机关代字 + 类型代码 + 〔年度〕 + 顺序号 + 号 (DOMAIN.md R6.3).

The sequence runs per agency, per type and per year, with no leading zeros and no “第”.
"""

from django.db import transaction

from .models import NumberSequence


def format_number(prefix: str, type_code: str, year: int, value: int) -> str:
    return f"{prefix}{type_code}〔{year}〕{value}号"


@transaction.atomic
def allocate(key: str, year: int) -> int:
    """The next value of series (key, year); the row lock makes concurrent callers queue."""
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(key=key, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def next_number(*, agency_id: int, prefix: str, type_code: str, year: int) -> str:
    return format_number(prefix, type_code, year, allocate(f"{agency_id}:{type_code}", year))
