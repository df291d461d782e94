import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhifa import workdays


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式错误：{text}（应为 YYYY-MM-DD）")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"期间必须是整数：{text}")


class Command(BaseCommand):
    help = "工作日计算：check 查询某日；add 计算 N 个工作日后的期限；days 计算 N 日后的期限；year 年度工作日统计。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("check", help="查询某日是否为工作日")
        p.add_argument("date")
        p = sub.add_parser("add", help="起算日后第 N 个工作日（不含起算日，调休上班日计入）")
        p.add_argument("start")
        p.add_argument("n")
        p = sub.add_parser("days", help="起算日后 N 个日历日，期满日遇休息日顺延")
        p.add_argument("start")
        p.add_argument("n")
        p.add_argument("--no-roll", action="store_true", help="不顺延（限制行政机关职权的期间）")
        p = sub.add_parser("year", help="年度工作日统计")
        p.add_argument("year", type=int)

    def handle(self, *args, action, **opts):
        try:
            if action == "check":
                st = workdays.day_status(_date(opts["date"]))
                kind = "工作日" if st.is_workday else "休息日"
                self.stdout.write(f"{st.date} {kind}{'（' + st.name + '）' if st.name else ''}{'【暂估】' if st.provisional else ''}")
            elif action == "add":
                self._deadline(workdays.add_workdays(_date(opts["start"]), _int(opts["n"])))
            elif action == "days":
                self._deadline(workdays.add_days(_date(opts["start"]), _int(opts["n"]), roll_forward=not opts["no_roll"]))
            else:
                s = workdays.year_summary(opts["year"])
                self.stdout.write(f"{s['year']}年工作日 {s['workdays']} 天{'【暂估】' if s['provisional'] else ''}")
        except (TypeError, ValueError) as exc:
            raise CommandError(str(exc))

    def _deadline(self, d):
        self.stdout.write(f"{d.date.isoformat()}{'【暂估】' if d.provisional else ''}")
        self.stdout.write(d.describe())
        if d.provisional:
            # Non-zero exit lets scripts notice a provisional answer.
            raise SystemExit(3)
