from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.core.commands import acting_user, service_errors
from zhifa.org import services


class Command(BaseCommand):
    help = (
        "接口令牌：issue 签发（只显示这一次，数据库与账本只存其 SM3 哈希）；list 列出某人的令牌；"
        "revoke 吊销（--prefix 指定一个，--all 吊销其全部有效令牌）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["issue", "list", "revoke"])
        parser.add_argument("username", help="令牌所属人员的用户名")
        parser.add_argument("--label", default="", help="用途，如“与市级平台对接”（issue）")
        parser.add_argument("--days", type=int, default=None, help="有效天数（issue；默认 ZHIFA_API_TOKEN_DAYS）")
        parser.add_argument("--prefix", default="", help="要吊销的令牌前缀（revoke；见 list）")
        parser.add_argument("--all", action="store_true", help="吊销其全部有效令牌（revoke）")
        parser.add_argument("--as", dest="actor", help="执行操作的人员用户名（默认以系统身份，用于安装和运维）")

    def handle(self, *args, action, username, label, days, prefix, all, actor, **opts):
        person = acting_user(username)
        who = acting_user(actor) if actor else None
        with service_errors():
            if action == "issue":
                token, key = services.issue_api_token(who, person, label=label, days=days)
                self.stdout.write(key)
                self.stderr.write(
                    f"已为 {person.full_name or person.username} 签发接口令牌，{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M} 到期"
                    "（令牌只显示这一次）。请求头：Authorization: Token <令牌>"
                )
            elif action == "list":
                tokens = list(services.api_tokens(who, person))
                if not tokens:
                    self.stdout.write(f"{person.username} 没有接口令牌。")
                for t in tokens:
                    used = f"{timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "未使用"
                    self.stdout.write(
                        f"{t.prefix}…  {t.state_label()}  签发 {timezone.localtime(t.created_at):%Y-%m-%d}  "
                        f"到期 {timezone.localtime(t.expires_at):%Y-%m-%d}  最近使用 {used}  {t.label}"
                    )
            elif all:
                count = services.revoke_all_api_tokens(who, person)
                self.stdout.write(self.style.SUCCESS(f"已吊销 {person.username} 的 {count} 个有效令牌。"))
            else:
                if not prefix:
                    raise CommandError("请用 --prefix 指明要吊销的令牌（见 zhifa token list），或用 --all 吊销全部。")
                matches = list(services.api_tokens(who, person).filter(prefix__startswith=prefix[:10]))
                if len(matches) != 1:
                    raise CommandError("没有找到这个令牌。" if not matches else "前缀对应多个令牌，请写得更长些。")
                if services.revoke_api_token(who, matches[0]):
                    self.stdout.write(self.style.SUCCESS(f"已吊销令牌 {matches[0].prefix}…。"))
                else:
                    self.stdout.write(f"令牌 {matches[0].prefix}… 早已吊销。")
