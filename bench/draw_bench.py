#!/usr/bin/env python3
"""双随机 at provincial scale: the draw through the real services at 1 M targets and 10 k inspectors, then the
shipped verifier (zhifa/inspections/drawing.py) on the public record in a clean interpreter.

    .venv/bin/python bench/draw_bench.py --dir /tmp/zhifa-draw --targets 1000000 --inspectors 10000
    ZHIFA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_draw .venv/bin/python bench/draw_bench.py ...

The library and the people are bulk-inserted (the import path is timed separately on a spreadsheet of
--import-rows rows); the plan is then made, committed, seeded and drawn through `zhifa.inspections.services`,
and the record exported and verified with `python3 -I -S`.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="/tmp/zhifa-draw")
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=10_000)
    parser.add_argument("--import-rows", type=int, default=20_000)
    args = parser.parse_args()
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    os.environ["ZHIFA_VAR_DIR"] = args.dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.core.roles import Role
    from zhifa.inspections import services
    from zhifa.inspections.models import Inspector, RiskClass, Target
    from zhifa.inspections.records import public_record
    from zhifa.org import services as org
    from zhifa.org.models import Agency, AgencyLevel, Credential, Person, PersonRole
    from zhifa.org.validators import make_uscc
    from zhifa.powers import services as powers

    call_command("migrate", verbosity=0)
    admin = Person.objects.filter(username="admin").first() or org.bootstrap_administrator(username="admin", password="Zhifa@2026", full_name="系统管理员")
    n = Agency.objects.count() + 1
    agency = org.create_agency(admin, name=f"压测市第{n}应急管理局", short_name=f"压{n}", uscc=make_uscc(f"11330400{n:08d}"), level=AgencyLevel.CITY,
                               region_code="330400", region_name="浙江省嘉兴市", sector="应急管理", is_supervisory=False)
    item = powers.save_item(admin, agency, list_kind="inspections", code=f"330400-SC-{n:03d}", name="危险化学品经营企业安全生产条件检查",
                            fields={"category": "一般检查事项", "basis": "《中华人民共和国安全生产法》第六十五条", "targets": "危险化学品经营企业"})
    for risk, ratio in ((RiskClass.HIGH, "30"), (RiskClass.MEDIUM_HIGH, "10"), (RiskClass.MEDIUM, "2"), (RiskClass.LOW, "1")):
        services.save_rule(admin, agency, item=item, risk_class=risk, ratio=ratio, frequency=1)
    print(f"数据库 {connection.vendor}")

    # The import path (openpyxl, validation of every code, bulk insert), timed on its own.
    from openpyxl import Workbook

    rng = random.Random(11)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([label for _, label, _ in services.TARGET_COLUMNS])
    risks = [RiskClass.HIGH.label, RiskClass.MEDIUM_HIGH.label, RiskClass.MEDIUM.label, RiskClass.LOW.label]
    for i in range(args.import_rows):
        sheet.append([f"嘉兴市导入测试贸易有限公司{i}", make_uscc(f"91330402{i:08d}"), "企业", "330402", "危险化学品经营", "", rng.choice(risks), "登记"])
    path = Path(tempfile.mkdtemp()) / "targets.xlsx"
    book.save(path)
    t = time.perf_counter()
    with path.open("rb") as f:
        counts = services.import_targets(admin, agency, f)
    took = time.perf_counter() - t
    print(f"Excel 导入 {args.import_rows:,} 行（逐行校验、批量写入）：{took:.1f} 秒，{args.import_rows / took:,.0f} 行/秒；{counts}")

    # The rest of the library and the inspectors in bulk.
    t = time.perf_counter()
    now = timezone.now()
    weights = [RiskClass.HIGH] * 5 + [RiskClass.MEDIUM_HIGH] * 15 + [RiskClass.MEDIUM] * 50 + [RiskClass.LOW] * 30
    with transaction.atomic():
        for start in range(args.import_rows, args.targets, 20000):
            Target.objects.bulk_create([
                Target(agency=agency, name=f"嘉兴市压测化工贸易有限公司{i}", code=make_uscc(f"92330402{i:08d}"), kind="enterprise",
                       region_code="330402", risk_class=rng.choice(weights), updated_at=now)
                for i in range(start, min(start + 20000, args.targets))
            ], batch_size=5000)
        people = Person.objects.bulk_create([
            Person(username=f"bench{n}-{i}", full_name=f"检查员{i}", agency=agency, password="!") for i in range(args.inspectors)
        ], batch_size=2000)
        if connection.vendor == "sqlite" and people and people[0].pk is None:
            people = list(Person.objects.filter(agency=agency, username__startswith=f"bench{n}-").order_by("pk"))
        PersonRole.objects.bulk_create([PersonRole(person=p, role=Role.OFFICER) for p in people], batch_size=2000)
        Credential.objects.bulk_create([
            Credential(person=p, number=f"9{n:03d}{i:08d}", issuing_authority="浙江省人民政府", scope="安全生产监督管理", area="浙江省嘉兴市",
                       valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2030, 12, 31))
            for i, p in enumerate(people)
        ], batch_size=2000)
        Inspector.objects.bulk_create([Inspector(agency=agency, person=p, updated_at=now) for p in people], batch_size=2000)
    print(f"名录库：检查对象 {Target.objects.filter(agency=agency).count():,} 个，执法检查人员 {len(people):,} 人（批量写入 {time.perf_counter() - t:.0f} 秒）")

    today = timezone.localdate()
    plan = services.create_plan(admin, agency, item=item, year=today.year, title="压测抽查", starts_on=today, ends_on=today,
                                seed_description="中国福利彩票双色球第 2026138 期开奖号码")
    t = time.perf_counter()
    draw = services.commit_plan(admin, plan)
    print(f"固化名单（读库、核对执法证、计算 SM3、记入账本）：{time.perf_counter() - t:.1f} 秒")
    t = time.perf_counter()
    draw = services.enter_seed(admin, plan, "03 11 17 22 28 31 + 09")
    took = time.perf_counter() - t
    members = sum(len(p) for row in draw.initial for p in row["inspectors"].values())
    print(f"摇号（抽取 {len(draw.initial):,} 个检查对象、{members:,} 人次，建立检查任务，记入账本）：{took:.1f} 秒")
    t = time.perf_counter()
    record = public_record(draw)
    out = Path(tempfile.mkdtemp()) / "record.json"
    out.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    print(f"导出摇号记录：{time.perf_counter() - t:.1f} 秒，{out.stat().st_size / 1e6:.0f} MB")
    verifier = Path(services.drawing.__file__)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-I", "-S", str(verifier), str(out)], capture_output=True, text=True)
    print(f"校验程序（python3 -I -S，仅标准库）：{time.perf_counter() - t:.1f} 秒，退出码 {done.returncode}")
    print("  " + done.stdout.strip().replace("\n", "\n  "))


if __name__ == "__main__":
    main()
