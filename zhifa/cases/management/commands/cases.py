from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.cases import selectors
from zhifa.core.commands import acting_user


class Command(BaseCommand):
    help = "案件：overdue 列出已超期及即将届满的办理期限（有超期时以 1 退出，可用于定时预警）；show 显示案件。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin", help="以该用户的查看范围执行，默认 admin（全部）")
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("overdue")
        p.add_argument("--days", type=int, default=3, help="同时列出几日内届满的期限")
        p = sub.add_parser("show")
        p.add_argument("number", help="案件编号")

    def handle(self, *args, action, actor, **opts):
        user = acting_user(actor)
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
