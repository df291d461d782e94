from django.core.management.base import BaseCommand, CommandError

from zhifa.core import services
from zhifa.core.commands import acting_user, service_errors
from zhifa.core.models import HolidayOverride

from .workdays import _date


class Command(BaseCommand):
    help = "维护节假日调整：list 列出；set 录入某日放假或上班；remove 删除；publish 标记年度安排已发布。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", default="admin", help="执行操作的管理员用户名，默认 admin")
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list")
        p.add_argument("year", type=int)
        p = sub.add_parser("set")
        p.add_argument("date")
        p.add_argument("kind", choices=["holiday", "workday"], help="holiday=放假，workday=调休上班")
        p.add_argument("name")
        p.add_argument("--source", default="")
        p = sub.add_parser("remove")
        p.add_argument("date")
        p = sub.add_parser("publish")
        p.add_argument("year", type=int)
        p.add_argument("source")

    def handle(self, *args, action, actor, **opts):
        if action == "list":
            for o in HolidayOverride.objects.filter(date__year=opts["year"]):
                self.stdout.write(str(o))
            return
        user = acting_user(actor)
        with service_errors():
            if action == "set":
                o = services.set_day_override(
                    user, date=_date(opts["date"]), is_workday=opts["kind"] == "workday",
                    name=opts["name"], source=opts["source"],
                )
                self.stdout.write(self.style.SUCCESS(f"已保存：{o}"))
            elif action == "remove":
                o = HolidayOverride.objects.filter(date=_date(opts["date"])).first()
                if o is None:
                    raise CommandError("该日没有节假日调整。")
                services.remove_day_override(user, o)
                self.stdout.write(self.style.SUCCESS("已删除。"))
            else:
                services.publish_calendar_year(user, year=opts["year"], source=opts["source"])
                self.stdout.write(self.style.SUCCESS(f"已标记{opts['year']}年放假安排为已发布。"))
