from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user
from zhifa.publicity import selectors, services


class Command(BaseCommand):
    help = "公示：takedown 撤下公示期满的信息（每日运行）；overdue 列出超过公示期限仍未公开的决定（有则以 1 退出）。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin")
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("takedown")
        sub.add_parser("overdue")

    def handle(self, *args, action, actor, **opts):
        if action == "takedown":
            self.stdout.write(self.style.SUCCESS(f"已撤下公示期满的信息 {services.take_down_expired()} 条。"))
            return
        items = list(selectors.overdue_publications(acting_user(actor)))
        for p in items:
            self.stdout.write(self.style.ERROR(f"{p.decision_number} {p.party_name}｜{p.agency.name}｜应于 {p.due_date} 前公示"))
        if items:
            raise CommandError(f"{len(items)} 件执法决定超过公示期限未公开。", returncode=1)
        self.stdout.write(self.style.SUCCESS("没有超过公示期限的执法决定。"))
