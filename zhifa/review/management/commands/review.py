from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user
from zhifa.review import selectors


class Command(BaseCommand):
    help = "法制审核：overdue 列出超过审核期限仍未审结的任务（有则以 1 退出）。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin")
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("overdue")

    def handle(self, *args, action, actor, **opts):
        user = acting_user(actor)
        tasks = list(selectors.overdue_tasks(user))
        for t in tasks:
            self.stdout.write(self.style.ERROR(f"{t.case.number} {t.case.title}｜第 {t.round} 次送审 {t.submitted_on}｜期限 {t.due_date}"))
        if tasks:
            raise CommandError(f"{len(tasks)} 件法制审核超过期限。", returncode=1)
        self.stdout.write(self.style.SUCCESS("没有超期的法制审核任务。"))
