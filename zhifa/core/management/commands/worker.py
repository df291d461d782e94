from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "运行后台任务进程：发送通知与推送、每分钟检查并执行到期的定时任务（账本核验、公示撤下、期限提醒等）。"
        "队列由 ZHIFA_TASKS_URL 指定（默认本机 SQLite 文件，可用 redis://）。与 Web 服务一同长期运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=None, help="并行执行任务的线程数（默认 ZHIFA_WORKER_THREADS 或 2）")
        parser.add_argument("--quiet", action="store_true", help="只记录警告和错误（默认也记录每个任务的执行）")

    def handle(self, *args, threads, quiet, **options):
        from django.conf import settings

        if settings.HUEY.get("immediate"):
            from django.core.management.base import CommandError

            raise CommandError("ZHIFA_TASKS_URL=immediate 时任务在提交处直接执行，不需要也不能运行后台任务进程。")
        options = {"verbosity": options.get("verbosity", 1)}
        if quiet:
            options["verbose"] = False
        if threads is not None:
            if not 1 <= threads <= 64:
                from django.core.management.base import CommandError

                raise CommandError("线程数应在 1 至 64 之间。")
            options["workers"] = threads
        self.stdout.write(f"后台任务进程启动，队列：{settings.ZHIFA_TASKS_URL}")
        # What a worker that died left behind (a delivery half sent, a job half run) is picked up at once, not at
        # the next minute's tick.
        from zhifa.core.tasks import tick_now

        tick_now.enqueue()
        call_command("run_huey", **options)
