from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user, service_errors
from zhifa.supervision import detectors, selectors, services


class Command(BaseCommand):
    help = "执法监督：models 列出问题模型；run [--model 代码 …] 运行问题模型；clues 列出未办结线索（有则以 1 退出）。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin")
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("models")
        p = sub.add_parser("run")
        p.add_argument("--model", action="append", default=[])
        sub.add_parser("clues")

    def handle(self, *args, action, actor, **opts):
        if action == "models":
            for d in detectors.all_detectors():
                self.stdout.write(f"{d.code}\t{d.name}\t{d.basis}")
            return
        if action == "run":
            with service_errors():
                counts = services.run_models(opts["model"] or None)
            self.stdout.write(self.style.SUCCESS(f"发现 {counts['found']} 项，新线索 {counts['new']} 条，自动办结 {counts['closed']} 条。"))
            return
        clues = list(selectors.visible_clues(acting_user(actor)).filter(is_open=True).order_by("-pk")[:500])
        for c in clues:
            self.stdout.write(f"{c.pk}\t{c.get_status_display()}\t{c.agency.short_name if c.agency else '平台'}\t{c.title}")
        if clues:
            raise CommandError(f"{len(clues)} 条线索未办结。", returncode=1)
        self.stdout.write(self.style.SUCCESS("没有未办结的线索。"))
