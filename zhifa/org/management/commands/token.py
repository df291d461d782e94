from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhifa.core.commands import acting_user
from zhifa.org import services


class Command(BaseCommand):
    help = "接口令牌：issue 签发（原令牌同时吊销，新令牌只显示一次）；revoke 吊销。令牌的签发与吊销记入账本（只记哈希）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["issue", "revoke"])
        parser.add_argument("username", help="令牌所属人员的用户名")
        parser.add_argument("--as", dest="actor", help="执行操作的人员用户名（默认以系统身份，用于安装和运维）")

    def handle(self, *args, action, username, actor, **opts):
        person = acting_user(username)
        who = acting_user(actor) if actor else None
        try:
            if action == "issue":
                token = services.issue_api_token(who, person)
                self.stdout.write(token.key)
                self.stderr.write(f"已为 {person.full_name or person.username} 签发接口令牌（只显示这一次），请求头：Authorization: Token <令牌>")
            elif services.revoke_api_token(who, person):
                self.stdout.write(self.style.SUCCESS(f"已吊销 {person.username} 的接口令牌。"))
            else:
                self.stdout.write(f"{person.username} 没有接口令牌。")
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)])))
