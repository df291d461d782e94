import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "一键演示：迁移数据库、写入演示数据并在 http://127.0.0.1:8000 启动服务。"

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="只迁移和写入数据，不启动服务")
        parser.add_argument(
            "--two-factor", action="store_true",
            help="按生产要求强制两步验证（机关负责人、法制审核、监督、管理人员登录时须绑定手机验证器）",
        )

    def handle(self, *args, addrport, no_serve, two_factor, **options):
        from django.conf import settings

        if not two_factor and "ZHIFA_TWO_FACTOR_ROLES" not in os.environ:
            # Demo accounts have no phone to enrol: the demo asks for the second factor only when told to. Anyone
            # may still enrol under 账号安全 to try it.
            settings.ZHIFA_TWO_FACTOR_ROLES = ()

        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            from pathlib import Path

            Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        if not no_serve:
            self.stdout.write(f"演示服务启动于 http://{addrport}/ （Ctrl+C 停止）")
            if not settings.ZHIFA_TWO_FACTOR_ROLES:
                self.stdout.write("演示环境未强制两步验证（生产环境强制，见 docs/security.md）；加 --two-factor 可按生产要求体验。")
            worker = self._start_worker(settings)
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                if worker is not None:
                    worker.terminate()
                    try:
                        worker.wait(timeout=10)
                    except Exception:
                        worker.kill()

    def _start_worker(self, settings):
        """The background worker beside the web server (notifications, pushes, scheduled jobs), as in production."""
        import subprocess
        import sys

        if settings.HUEY.get("immediate"):
            return None
        self.stdout.write(f"后台任务进程（zhifa worker）同时启动，队列：{settings.ZHIFA_TASKS_URL}")
        return subprocess.Popen([sys.executable, "-m", "zhifa.cli", "worker", "--quiet"], stdout=subprocess.DEVNULL, preexec_fn=_die_with_parent)


def _die_with_parent():
    """In the worker, before it starts: the kernel sends it SIGTERM when the demo process dies, however that happens
    (Ctrl+C reaches both; a `kill` of the demo alone would otherwise leave the worker running)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: Ctrl+C still stops both
        pass
