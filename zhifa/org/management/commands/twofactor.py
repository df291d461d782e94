from django.core.management.base import BaseCommand

from zhifa.core.commands import acting_user, service_errors
from zhifa.org import twofactor


class Command(BaseCommand):
    help = (
        "两步验证：status 查看某人是否须用、是否已绑定、剩余恢复码；reset 重置（手机和恢复码都丢失时；"
        "记入账本，此人下次登录时重新绑定）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "reset"])
        parser.add_argument("username", help="人员用户名")
        parser.add_argument("--as", dest="actor", help="执行操作的人员用户名（默认以系统身份，用于运维）")

    def handle(self, *args, action, username, actor, **opts):
        person = acting_user(username)
        if action == "status":
            s = twofactor.status(person)
            self.stdout.write(
                f"{person.username}：岗位{'要求' if s['required'] else '不要求'}两步验证；"
                f"{'已绑定手机验证器，剩余恢复码 ' + str(s['recovery_codes_left']) + ' 个' if s['enrolled'] else '未绑定'}。"
            )
            return
        with service_errors():
            done = twofactor.disable(acting_user(actor) if actor else None, person)
        self.stdout.write(self.style.SUCCESS(f"已重置 {person.username} 的两步验证。") if done else f"{person.username} 尚未绑定两步验证。")
