from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.cases import selectors
from zhifa.core.commands import acting_user


class Command(BaseCommand):
    help = (
        "案件：overdue 列出已超期及即将届满的办理期限（有超期时以 1 退出，可用于定时预警）；show 显示案件；"
        "thresholds 列出听证较大数额标准；threshold 设置一条标准。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin", help="以该用户的查看范围执行，默认 admin（全部）")
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("overdue")
        p.add_argument("--days", type=int, default=3, help="同时列出几日内届满的期限")
        p = sub.add_parser("show")
        p.add_argument("number", help="案件编号")
        sub.add_parser("thresholds")
        p = sub.add_parser("threshold")
        p.add_argument("party_kind", choices=["citizen", "organisation"])
        p.add_argument("fine_amount", help="较大数额罚款（元）")
        p.add_argument("--region", default="", help="行政区划代码前缀，如 33、3304")
        p.add_argument("--sector", default="", help="执法领域，如 应急管理")
        p.add_argument("--confiscation", default=None, help="较大数额没收（元）")
        p.add_argument("--basis", required=True, help="依据")

    def handle(self, *args, action, actor, **opts):
        user = acting_user(actor)
        if action in ("thresholds", "threshold"):
            return self._thresholds(user, action, opts)
        if action == "show":
            case = selectors.visible_cases(user).filter(number=opts["number"]).first()
            if case is None:
                raise CommandError(f"未找到该案件，或您无权查看：{opts['number']}")
            self.stdout.write(f"{case.number} {case.title}｜{case.procedure.name}｜当前环节：{case.stage_name}｜{case.get_status_display()}")
            for d in case.deadlines.all():
                state = f"{d.met_on} 完成" if d.met_on else "当事人期间" if d.party_period else ("已超期" if d.due_date < timezone.localdate() else "进行中")
                self.stdout.write(f"  {d.name}：{d.start_date} 起，{d.due_date} 届满（{state}）｜{d.basis}")
            for h in case.history.all():
                self.stdout.write(f"  {timezone.localtime(h.entered_at):%Y-%m-%d %H:%M} {case.definition.stage_name(h.stage)}（{h.transition}）")
            return
        overdue = list(selectors.overdue_deadlines(user))
        for d in overdue:
            self.stdout.write(self.style.ERROR(f"已超期 {d.case.number} {d.case.title}｜{d.name}｜{d.due_date} 届满｜{d.basis}"))
        for d in selectors.due_soon_deadlines(user, opts["days"]):
            self.stdout.write(self.style.WARNING(f"即将届满 {d.case.number} {d.case.title}｜{d.name}｜{d.due_date}"))
        if overdue:
            raise CommandError(f"{len(overdue)} 项办理期限已超期。", returncode=1)
        self.stdout.write(self.style.SUCCESS("没有超期的办理期限。"))

    def _thresholds(self, user, action, opts):
        from django.core.exceptions import ValidationError

        from zhifa.cases import services
        from zhifa.cases.models import HearingThreshold

        if action == "threshold":
            try:
                services.save_threshold(user, party_kind=opts["party_kind"], fine_amount=opts["fine_amount"], basis=opts["basis"],
                                        region_prefix=opts["region"], sector=opts["sector"], confiscation_amount=opts["confiscation"])
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages))
        for r in HearingThreshold.objects.all():
            self.stdout.write(f"{r.region_prefix or '全国'}｜{r.sector or '所有领域'}｜{r.get_party_kind_display()}｜罚款 {r.fine_amount} 元"
                              f"｜没收 {r.confiscation_amount or r.fine_amount} 元｜{r.basis}")
