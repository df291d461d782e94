from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "定时任务：list 列出全部任务、计划与最近一次运行；run 名称 立即执行（同一计划时段已完成的不重复执行，--force 另记一次）；"
        "tick 把到期的任务交给后台任务进程（worker 每分钟自动执行）。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list")
        p = sub.add_parser("run")
        p.add_argument("name")
        p.add_argument("--force", action="store_true", help="即使本时段已运行，也以当前分钟为时段再运行一次")
        sub.add_parser("tick")

    def handle(self, *args, action, **opts):
        from django.utils import timezone

        from zhifa.core import jobs, selectors

        if action == "list":
            for row in selectors.job_overview():
                last = row["last"]
                state = f"{last.get_status_display()}（{timezone.localtime(last.slot):%Y-%m-%d %H:%M}）{last.message}" if last else "尚未运行"
                self.stdout.write(f"{row['job'].name}｜{row['job'].label}｜{row['job'].schedule.label()}｜{state}")
            return
        if action == "tick":
            names = jobs.tick()
            self.stdout.write(f"已交给后台任务进程：{'、'.join(names) if names else '没有到期的任务'}")
            return
        name = opts["name"]
        if jobs.jobs.get(name) is None:
            raise CommandError(f"没有这个定时任务：{name}。可用：{'、'.join(j.name for j in jobs.jobs)}")
        slot = timezone.localtime().replace(second=0, microsecond=0) if opts["force"] else None
        try:
            message = jobs.run(name, slot)
        except Exception as exc:
            raise CommandError(f"{name} 执行失败：{exc}")
        if message is None:
            self.stdout.write(f"{name} 本时段已运行或正在运行，未重复执行（--force 可再运行一次）。")
        else:
            self.stdout.write(self.style.SUCCESS(f"{name}：{message or '完成'}"))
