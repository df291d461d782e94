"""An installation that already has a ledger starts dispatching from its current end: notices and pushes are for
what happens from now on, not for years of history (a new installation starts at the beginning, -1)."""

from django.db import migrations


def start_from_now(apps, schema_editor):
    Cursor = apps.get_model("workflow", "Cursor")
    LedgerEvent = apps.get_model("ledger", "LedgerEvent")
    last = LedgerEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    Cursor.objects.get_or_create(name="ledger", defaults={"seq": -1 if last is None else last})


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_approval_params"), ("ledger", "0002_witnesses")]
    operations = [migrations.RunPython(start_from_now, migrations.RunPython.noop)]
