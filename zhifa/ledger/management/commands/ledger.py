import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.ledger import export, offline, services, tree, verification


class Command(BaseCommand):
    help = (
        "执法记录账本：verify 全量校验（数据库与证据文件）；export 导出可离线校验的归档；"
        "verify-export 离线校验归档；sign 签署当前树头；head 显示最新签名树头；proof 生成包含或一致性证明。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("verify", help="从数据库与存储文件重新计算并校验全部记录")
        p.add_argument("--skip-files", action="store_true", help="不重新计算证据文件哈希（只校验数据库）")
        p.add_argument("--checkpoint", help="外部保存的树头 JSON 文件（如监督机关留存的 zhifa ledger head --json 输出）")
        p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        p = sub.add_parser("export", help="导出账本（含离线校验程序）")
        p.add_argument("output", nargs="?", help="输出文件，默认 zhifa-ledger-<日期>.tar")
        p.add_argument("--without-files", action="store_true", help="不包含证据文件，只导出登记信息与哈希")
        p = sub.add_parser("verify-export", help="离线校验导出文件")
        p.add_argument("archive")
        p.add_argument("--trusted-key")
        p.add_argument("--all-signatures", action="store_true")
        sub.add_parser("sign", help="为尚未签名的事件签署树头")
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

    def _verify(self, *, skip_files, checkpoint, json: bool, **_):
        point = None
        if checkpoint:
            try:
                point = _load_json(checkpoint)
                point = {k: point[k] for k in ("tree_size", "timestamp_ms", "root_hash", "key_id", "signature")}
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"无法读取外部树头文件：{exc}", returncode=2)
        report = verification.verify(check_files=not skip_files, checkpoint=point)
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

    def _verify_export(self, *, archive, trusted_key, all_signatures, **_):
        code = offline.main([archive, *(["--trusted-key", trusted_key] if trusted_key else []), *(["--all-signatures"] if all_signatures else [])])
        if code:
            raise CommandError("离线校验未通过。" if code == 1 else "无法读取导出文件。", returncode=code)

    def _sign(self, **_):
        head = services.sign_tree_head()
        if head is None:
            self.stdout.write("账本为空，无需签名。")
        else:
            self.stdout.write(self.style.SUCCESS(f"最新签名树头：{head.tree_size} 条事件，根哈希 {head.root_hash}"))

    def _head(self, *, json: bool, **_):
        from zhifa.ledger.models import TreeHead

        head = TreeHead.objects.select_related("key").order_by("-tree_size").first()
        if head is None:
            raise CommandError("尚无签名树头。")
        data = export._head_dict(head)
        if json:
            self.stdout.write(_dumps(data))
        else:
            for key, value in data.items():
                self.stdout.write(f"{key}: {value}")

    def _proof(self, *, seq, first, tree_size, **_):
        if tree_size is None:
            head = services.sign_tree_head()
            tree_size = head.tree_size if head else 0
        if seq is not None:
            self.stdout.write(_dumps(tree.inclusion_proof(seq, tree_size)))
        elif first is not None:
            self.stdout.write(_dumps(tree.consistency_proof(first, tree_size)))
        else:
            raise CommandError("请指定 --seq（包含证明）或 --first（一致性证明）。")


def _load_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
