import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.ledger import export, offline, services, tree, verification


class Command(BaseCommand):
    help = (
        "执法记录账本：verify 全量校验（数据库与证据文件）；export 导出可离线校验的归档；"
        "verify-export 离线校验归档；sign 签署当前树头；signer 常驻签名进程；rotate-key 更换签名密钥；witness 见证方；"
        "head 显示最新签名树头；proof 生成包含或一致性证明。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("verify", help="从数据库与存储文件重新计算并校验全部记录")
        p.add_argument("--skip-files", action="store_true", help="不重新计算证据文件哈希（只校验数据库）")
        p.add_argument("--checkpoint", action="append", default=[],
                       help="外部保存的树头 JSON 文件：监督机关留存的 zhifa ledger head --json 输出，或见证方副署的树头；可多次指定")
        p.add_argument("--trusted-key", action="append", default=[], help="受信任的账本签名公钥 PEM 文件（监督机关另行保存）；可多次指定")
        p.add_argument("--witness-key", action="append", default=[], help="见证方公钥 PEM 文件；可多次指定")
        p.add_argument("--witness-url", action="append", default=[], help="向见证方取回其最新副署的树头（GET /checkpoint）；可多次指定")
        p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        p = sub.add_parser("export", help="导出账本（含离线校验程序）")
        p.add_argument("output", nargs="?", help="输出文件，默认 zhifa-ledger-<日期>.tar")
        p.add_argument("--without-files", action="store_true", help="不包含证据文件，只导出登记信息与哈希")
        p = sub.add_parser("verify-export", help="离线校验导出文件")
        p.add_argument("archive")
        p.add_argument("--trusted-key", action="append", default=[])
        p.add_argument("--witness-key", action="append", default=[])
        p.add_argument("--checkpoint", action="append", default=[])
        sub.add_parser("sign", help="为尚未签名的事件签署树头，并请见证方副署")
        p = sub.add_parser("signer", help="常驻签名进程：按 ZHIFA_LEDGER_SIGN_INTERVAL_MS 定时签署树头并请见证方副署")
        p.add_argument("--once", action="store_true", help="只运行一轮")
        p = sub.add_parser("rotate-key", help="更换账本签名密钥（由原密钥签署交接声明）")
        p.add_argument("--new-key", help="新的 SM2 私钥 PEM 文件；不指定则生成")
        p = sub.add_parser("witness", help="见证方：add 登记、list 列出、remove 停用、run 立即请求副署、program 输出见证程序")
        p.add_argument("witness_action", choices=["add", "list", "remove", "run", "program"])
        p.add_argument("--name")
        p.add_argument("--url")
        p.add_argument("--key", help="见证方公钥 PEM 文件")
        p = sub.add_parser("kinds", help="列出已声明的账本事件类型及其必有字段（--markdown 输出 docs/ledger.md 所用的表格）")
        p.add_argument("--markdown", action="store_true")
        p = sub.add_parser("head", help="显示最新签名树头")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("proof", help="包含证明（--seq）或一致性证明（--first）")
        p.add_argument("--seq", type=int)
        p.add_argument("--first", type=int)
        p.add_argument("--tree-size", type=int, help="默认为最新签名树头的大小")

    def handle(self, *args, action, **opts):
        try:
            return getattr(self, "_" + action.replace("-", "_"))(**opts)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))

    def _kinds(self, *, markdown: bool, **_):
        from zhifa.ledger import events

        if markdown:
            self.stdout.write(events.markdown(), ending="")
            return
        for kind in events.all_kinds():
            self.stdout.write(f"{kind.name}\t{kind.label}\t{' '.join(kind.fields)}")

    def _verify(self, *, skip_files, checkpoint, trusted_key, witness_key, witness_url, json: bool, **_):
        point, cosigned = None, []
        for path in checkpoint:
            try:
                data = _load_json(path)
                if "origin" in data:  # a witness's cosigned head
                    cosigned.append(data)
                else:
                    point = {k: data[k] for k in ("tree_size", "timestamp_ms", "root_hash", "key_id", "signature")}
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"无法读取外部树头文件 {path}：{exc}", returncode=2)
        for url in witness_url:
            cosigned.append(_fetch_checkpoint(url))
        try:
            report = verification.verify(
                check_files=not skip_files, checkpoint=point, trusted_keys=trusted_key,
                witness_keys=witness_key, witness_checkpoints=cosigned,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取公钥文件：{exc}", returncode=2)
        services.record_verification(report, checked_files=not skip_files)
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            self.stdout.write(
                f"事件 {report.tree_size} 条，签名树头 {report.tree_heads} 个，树节点 {report.nodes} 个，"
                f"证据文件 {report.files} 个（{report.file_bytes / 1024 / 1024:.1f} MiB），用时 {report.seconds:.2f} 秒。"
            )
            for warning in report.warnings:
                self.stdout.write(self.style.WARNING(f"提示：{warning}"))
            for problem in report.problems:
                self.stdout.write(self.style.ERROR(f"  - {problem.message}"))
        if not report.ok:
            raise CommandError(f"校验未通过：发现 {len(report.problems)} 处问题。", returncode=1)
        if not json:
            self.stdout.write(self.style.SUCCESS("校验通过：账本与证据文件完整，未发现改动、删除、截断或调换。"))

    def _export(self, *, output, without_files, **_):
        output = Path(output or f"zhifa-ledger-{timezone.localdate():%Y-%m-%d}.tar")
        try:
            manifest = export.export_ledger(output, include_files=not without_files)
        except OSError as exc:
            output.unlink(missing_ok=True)
            raise CommandError(f"导出失败：{exc}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {manifest['tree_size']} 条事件、{manifest['counts'].get('evidence.jsonl', 0)} 条证据到 {output}"
                f"（{output.stat().st_size / 1024 / 1024:.1f} MiB，{manifest['seconds']} 秒）。"
            )
        )
        self.stdout.write(f"离线校验：python3 verify.py {output}（verify.py 在归档内 zhifa-ledger/ 目录）")

    def _verify_export(self, *, archive, trusted_key, witness_key, checkpoint, **_):
        args = [archive]
        for flag, values in (("--trusted-key", trusted_key), ("--witness-key", witness_key), ("--checkpoint", checkpoint)):
            for value in values:
                args += [flag, value]
        code = offline.main(args)
        if code:
            raise CommandError("离线校验未通过。" if code == 1 else "无法读取导出文件。", returncode=code)

    def _sign(self, **_):
        try:
            head = services.sign_tree_head()
        except RuntimeError as exc:
            raise CommandError(str(exc))
        if head is None:
            self.stdout.write("账本为空，无需签名。")
            return
        self.stdout.write(self.style.SUCCESS(f"最新签名树头：{head.tree_size} 条事件，根哈希 {head.root_hash}"))
        self._report_witnessing(services.witness_latest())

    def _report_witnessing(self, results):
        failed = 0
        for row, outcome in results:
            if isinstance(outcome, str):
                failed += 1
                self.stdout.write(self.style.ERROR(outcome))
            else:
                self.stdout.write(f"见证方“{row.name}”已副署 {outcome.tree_size} 条。")
        if failed:
            raise CommandError(f"{failed} 个见证方未能副署。")

    def _signer(self, *, once, **_):
        import time

        from django.conf import settings

        interval = max(settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS, 100) / 1000
        self.stdout.write(f"账本签名进程已启动，每 {interval:g} 秒签署并请求见证。")
        while True:
            services.signer.flush()
            if once:
                return
            time.sleep(interval)

    def _rotate_key(self, *, new_key, **_):
        key = None
        if new_key:
            from zhifa.ledger import signing

            try:
                with open(new_key, "rb") as fh:
                    key = signing.serialization.load_pem_private_key(fh.read(), password=signing._passphrase())
            except (OSError, ValueError, TypeError) as exc:
                raise CommandError(f"无法读取新密钥：{exc}")
        row = services.rotate_key(None, key)
        self.stdout.write(self.style.SUCCESS(f"已更换签名密钥，新公钥标识 {row.key_id}。请把新公钥交监督机关与见证方，原密钥文件移出服务器保存。"))

    def _witness(self, *, witness_action, name, url, key, **_):
        from zhifa.ledger import witness as witness_program
        from zhifa.ledger.models import Witness

        if witness_action == "program":
            self.stdout.write(Path(witness_program.__file__).read_text(encoding="utf-8"), ending="")
            return
        if witness_action == "list":
            for row in Witness.objects.all():
                self.stdout.write(f"{row.name}\t{row.url}\t{row.key_id}\t{'启用' if row.active else '停用'}")
            return
        if witness_action == "run":
            self._report_witnessing(services.witness_latest())
            return
        if witness_action == "remove":
            row = Witness.objects.filter(name=name, active=True).first()
            if row is None:
                raise CommandError(f"没有启用中的见证方“{name}”。")
            services.remove_witness(None, row)
            self.stdout.write(self.style.SUCCESS(f"已停用见证方“{name}”。"))
            return
        if not (name and url and key):
            raise CommandError("登记见证方需要 --name、--url 和 --key。")
        try:
            pem = Path(key).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法读取见证方公钥：{exc}")
        row = services.add_witness(None, name=name, url=url, public_key_pem=pem)
        self.stdout.write(self.style.SUCCESS(f"已登记见证方“{row.name}”（公钥标识 {row.key_id}）。"))

    def _head(self, *, json: bool, **_):
        head = services.latest_head()
        if head is None:
            raise CommandError("尚无签名树头。")
        data = services.head_dict(head)
        if json:
            self.stdout.write(_dumps(data))
        else:
            for key, value in data.items():
                self.stdout.write(f"{key}: {value}")

    def _proof(self, *, seq, first, tree_size, **_):
        if tree_size is None:
            head = services.latest_head()
            tree_size = head.tree_size if head else 0
        if seq is not None:
            self.stdout.write(_dumps(tree.inclusion_proof(seq, tree_size)))
        elif first is not None:
            self.stdout.write(_dumps(tree.consistency_proof(first, tree_size)))
        else:
            raise CommandError("请指定 --seq（包含证明）或 --first（一致性证明）。")


def _fetch_checkpoint(url: str) -> dict:
    import urllib.parse

    from django.conf import settings

    from zhifa.ledger import witness

    query = urllib.parse.urlencode({"origin": settings.ZHIFA_LEDGER_ORIGIN})
    try:
        status, point = witness.http_json(f"{url.rstrip('/')}/checkpoint?{query}", timeout=10)
    except (OSError, ValueError) as exc:
        raise CommandError(f"无法从见证方 {url} 取回树头：{exc}", returncode=2)
    if status != 200:
        raise CommandError(f"无法从见证方 {url} 取回树头：{status} {point.get('detail', '')}", returncode=2)
    return point


def _load_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
