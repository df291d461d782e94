from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user
from zhifa.publicity import selectors, services


class Command(BaseCommand):
    help = (
        "公示：takedown 撤下公示期满的信息（每日运行）；overdue 列出超过公示期限仍未公开的决定（有则以 1 退出）；"
        "annual-report 生成上一年度统计年报（1月运行；--check 列出1月31日后仍未生成的机关，有则以 1 退出）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin")
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("takedown")
        sub.add_parser("overdue")
        p = sub.add_parser("annual-report")
        p.add_argument("--year", type=int, help="默认上一年度")
        p.add_argument("--check", action="store_true")

    def handle(self, *args, action, actor, **opts):
        if action == "annual-report":
            return self._annual(opts)
        if action == "takedown":
            self.stdout.write(self.style.SUCCESS(f"已撤下公示期满的信息 {services.take_down_expired()} 条。"))
            return
        items = list(selectors.overdue_publications(acting_user(actor)))
        for p in items:
            self.stdout.write(self.style.ERROR(f"{p.decision_number} {p.party_name}｜{p.agency.name}｜应于 {p.due_date} 前公示"))
        if items:
            raise CommandError(f"{len(items)} 件执法决定超过公示期限未公开。", returncode=1)
        self.stdout.write(self.style.SUCCESS("没有超过公示期限的执法决定。"))

    def _annual(self, opts):
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        from zhifa.org.models import Agency
        from zhifa.publicity import statistics
        from zhifa.publicity.models import AnnualReport

        year = opts["year"] or timezone.localdate().year - 1
        agencies = Agency.objects.filter(is_active=True, is_supervisory=False)
        if opts["check"]:
            done = set(AnnualReport.objects.filter(year=year).values_list("agency_id", flat=True))
            missing = [a for a in agencies if a.pk not in done]
            late = timezone.localdate() > statistics.due_date(year)
            for a in missing:
                self.stdout.write((self.style.ERROR if late else self.style.WARNING)(f"{a.name} 尚未生成{year}年度统计年报（{statistics.due_date(year)} 前公开）"))
            if missing and late:
                raise CommandError(f"{len(missing)} 个执法机关逾期未公开{year}年度统计年报。", returncode=1)
            return
        try:
            for agency in agencies:
                report = services.generate_annual_report(None, agency, year)
                self.stdout.write(self.style.SUCCESS(f"已生成：{report}（PDF SM3 {report.pdf_sm3[:16]}…）"))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
