import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhifa.org.models import Credential, CredentialStatus


class Command(BaseCommand):
    help = "列出即将到期（默认60日内）或已过期的有效执法证件。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=60, help="到期预警天数，默认60")

    def handle(self, *args, days, **options):
        today = timezone.localdate()
        qs = Credential.objects.select_related("person", "person__agency").filter(
            status=CredentialStatus.VALID, valid_until__lte=today + dt.timedelta(days=days)
        ).order_by("valid_until")
        for c in qs:
            state = "已过期" if c.valid_until < today else "即将到期"
            self.stdout.write(f"{state}\t{c.valid_until}\t{c.number}\t{c.person.full_name}\t{c.person.agency.name}")
        self.stdout.write(f"共 {qs.count()} 本。")
