"""zhifa serve: run zhifa under gunicorn, as in production (the demo and the browser tests use runserver)."""

import os
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以生产方式运行（gunicorn 多进程多线程，持久数据库连接）；先迁移数据库并收集静态文件。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("ZHIFA_BIND", "127.0.0.1:8000"), help="监听地址，默认 127.0.0.1:8000")
        parser.add_argument("--workers", type=int, help="进程数，默认为 CPU 核数的两倍")
        parser.add_argument("--no-migrate", action="store_true", help="不自动执行数据库迁移")

    def handle(self, *args, bind, workers, no_migrate, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        config = Path(__file__).resolve().parents[3] / "gunicorn_conf.py"
        argv = [sys.executable, "-m", "gunicorn", "-c", str(config), "--bind", bind]
        if workers:
            argv += ["--workers", str(workers)]
        self.stdout.write(f"zhifa 以 gunicorn 运行于 http://{bind}/（Ctrl+C 停止）")
        sys.stdout.flush()
        os.execv(sys.executable, [*argv, "zhifa.wsgi:application"])
