import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.core.commands import acting_user, service_errors
from zhifa.org import services


class Command(BaseCommand):
    help = ("登录安全：locked 列出因密码连续错误被锁定的账号；unlock 解除锁定（记入账本）；log 查看登录、失败记录；"
            "prune 删除超过保存期限（ZHIFA_LOGIN_LOG_DAYS，至少 180 天）的登录记录。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["locked", "unlock", "log", "prune"])
        parser.add_argument("username", nargs="?", help="unlock 时为被锁定的用户名；log 时可只看此人")
        parser.add_argument("--as", dest="actor", help="执行操作的人员用户名（默认以系统身份，用于运维）")
        parser.add_argument("--limit", type=int, default=50, help="log 显示的条数，默认 50")

    def handle(self, *args, action, username, actor, limit, **opts):
        from axes.models import AccessFailureLog, AccessLog

        if action == "locked":
            rows = services.locked_accounts()
            for row in rows:
                self.stdout.write(f"{row['username']}\t连续失败 {row['failures']} 次\t最近 {timezone.localtime(row['last_attempt']):%Y-%m-%d %H:%M:%S}"
                                  f"\t来自 {row['ip_address']}\t{timezone.localtime(row['unlocks_at']):%H:%M} 自动解锁")
            self.stdout.write(f"共 {len(rows)} 个账号被锁定。")
        elif action == "unlock":
            if not username:
                raise CommandError("请给出要解锁的用户名。")
            with service_errors():
                cleared = services.unlock_login(acting_user(actor) if actor else None, username)
            self.stdout.write(self.style.SUCCESS(f"已解除 {username} 的登录锁定（清除失败记录 {cleared} 次）。") if cleared else f"{username} 没有被锁定。")
        elif action == "log":
            labels = {**services.LOGIN_OUTCOMES, "locked": "已锁定"}  # one word per column in the terminal
            for row in services.login_log(limit, username or ""):
                self.stdout.write(f"{timezone.localtime(row['time']):%Y-%m-%d %H:%M:%S}\t{labels[row['outcome']]}\t{row['username']}\t{row['ip_address']}")
        else:
            cutoff = timezone.now() - dt.timedelta(days=settings.ZHIFA_LOGIN_LOG_DAYS)
            removed = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0] + AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
            self.stdout.write(f"已删除 {settings.ZHIFA_LOGIN_LOG_DAYS} 天以前的登录记录 {removed} 条。")
