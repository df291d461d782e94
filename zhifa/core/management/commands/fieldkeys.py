import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from zhifa.core import fieldcrypto


class Command(BaseCommand):
    help = (
        "身份证号、电话号码的 SM4 加密密钥：status 各字段按密钥统计；rotate 用当前密钥（ZHIFA_FIELD_KEYS 的第一个）"
        "重新加密其余数据；generate 生成一个新密钥。轮换步骤：把新密钥放在 ZHIFA_FIELD_KEYS 最前并重启，运行 rotate，"
        "status 显示已无旧密钥的数据后，再从 ZHIFA_FIELD_KEYS 删除旧密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "rotate", "generate"])
        parser.add_argument("--id", default="1", help="generate：新密钥的编号（1–8 位字母或数字）")

    def handle(self, *args, action, id, **opts):
        if action == "generate":
            if not fieldcrypto._KEY_ID.match(id):
                raise CommandError("密钥编号只能是 1–8 位字母、数字、- 或 _。")
            self.stdout.write(f"{id}:{secrets.token_hex(16)}")
            self.stderr.write("请把它放在 ZHIFA_FIELD_KEYS 的最前面（原有密钥保留在后面直至 rotate 完成），妥善保管，不要写入代码仓库。")
            return
        try:
            current = fieldcrypto.current_key_id()
        except Exception as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"当前加密密钥：{current}（共配置 {len(fieldcrypto.keys())} 个）")
        for model, field in fieldcrypto.encrypted_fields():
            table, label = model._meta.db_table, f"{model._meta.verbose_name}·{field.verbose_name}"
            if action == "rotate":
                with transaction.atomic():
                    try:
                        done = fieldcrypto.rewrite_column(connection, table, field.column, model._meta.pk.column)
                    except fieldcrypto.DecryptionError as exc:
                        raise CommandError(f"{label}：{exc}") from None
                self.stdout.write(f"{label}：重新加密 {done} 条")
            else:
                census = fieldcrypto.key_census(connection, table, field.column)
                parts = [f"{'未加密' if k == 'plain' else '密钥 ' + k}：{n}" for k, n in sorted(census.items())] or ["无数据"]
                self.stdout.write(f"{label}：{'，'.join(parts)}")
