"""The powers part of `zhifa ledger verify`: each public list item against its last saved event."""

from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import PublicItem

ITEMS = replayed(Spec("powers.publicitem", "公开事项", created={"powers.item.saved"}))


def check_powers(report, check_files: bool) -> None:
    compare(
        report,
        ITEMS,
        (
            (i.pk, f"{i.code} {i.name}", {"list": i.list_kind, "code": i.code, "name": i.name, "fields": i.fields, "version": i.version, "active": i.is_active})
            for i in PublicItem.objects.order_by("pk").iterator()
        ),
        field_labels(PublicItem, {"list": "清单", "active": "有效"}),
    )
