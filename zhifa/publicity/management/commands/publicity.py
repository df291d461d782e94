from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user
from zhifa.publicity import selectors, services


class Command(BaseCommand):
    help = (
        "公示：takedown 撤下公示期满的信息（每日运行）；overdue 列出超过公示期限仍未公开的决定（有则以 1 退出）；"
        "annual-report 生成上一年度统计年报（1月运行；--check 列出1月31日后仍未生成的机关，有则以 1 退出）；"
        "withdrawals 列出决定被撤销等后应撤回而未撤回的公示（已逾期的以 1 退出）；"
        "retention 设置机关的公示期限规则（hebei_2015 一般规定或 samr45 市场监管）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin")
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("takedown")
        sub.add_parser("overdue")
        p = sub.add_parser("annual-report")
        p.add_argument("--year", type=int, help="默认上一年度")
        p.add_argument("--check", action="store_true")
        sub.add_parser("withdrawals")
        r = sub.add_parser("retention")
        r.add_argument("agency", help="机关名称、简称或 ID")
        r.add_argument("scheme", choices=["hebei_2015", "samr45"])
        r.add_argument("--low-fine", dest="low_fine", default=None, help="较低数额罚款（元）")
        r.add_argument("--basis", default="", help="较低数额标准的依据")

    def handle(self, *args, action, actor, **opts):
        if action == "annual-report":
            return self._annual(opts)
        if action == "withdrawals":
            return self._withdrawals(acting_user(actor))
        if action == "retention":
            return self._retention(acting_user(actor), opts)
        if action == "takedown":
            self.stdout.write(self.style.SUCCESS(f"已撤下公示期满的信息 {services.take_down_expired()} 条。"))
            return
        items = list(selectors.overdue_publications(acting_user(actor)))
        for p in items:
            self.stdout.write(self.style.ERROR(f"{p.decision_number} {p.party_name}｜{p.agency.name}｜应于 {p.due_date} 前公示"))
        if items:
            raise CommandError(f"{len(items)} 件执法决定超过公示期限未公开。", returncode=1)
        self.stdout.write(self.style.SUCCESS("没有超过公示期限的执法决定。"))

    def _withdrawals(self, user):
        from django.utils import timezone

        today = timezone.localdate()
        items = list(selectors.withdrawals_due(user))
        late = [p for p in items if p.withdrawal_due < today]
        for p in items:
            style = self.style.ERROR if p in late else self.style.WARNING
            self.stdout.write(style(
                f"{p.decision_number}｜{p.agency.name}｜{p.get_withdrawal_trigger_display()}（{p.trigger_date}）｜应于 {p.withdrawal_due} 前撤回"
                + ("｜已逾期" if p in late else "")
            ))
        if late:
            raise CommandError(f"{len(late)} 件公示逾期未撤回（行政处罚法第四十八条）。", returncode=1)
        if not items:
            self.stdout.write(self.style.SUCCESS("没有应撤回而未撤回的公示。"))

    def _retention(self, user, opts):
        from django.core.exceptions import ValidationError
        from django.db.models import Q

        from zhifa.org.models import Agency

        raw = opts["agency"]
        agency = Agency.objects.filter(Q(name=raw) | Q(short_name=raw) | (Q(pk=int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 12 else Q(pk=None))).first()
        if agency is None:
            raise CommandError(f"没有这个机关：{raw}")
        try:
            setting = services.save_setting(user, agency, scheme=opts["scheme"], low_fine_amount=opts["low_fine"], low_fine_basis=opts["basis"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        self.stdout.write(self.style.SUCCESS(f"{agency.name}：{setting.get_scheme_display()}"))

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
