#!/usr/bin/env python3
"""Public portal search at scale: p50/p95 of the decision list page's query (search + count + first page).

    .venv/bin/python bench/portal_search_bench.py [--rows 1000000] [--queries 200]

SQLite in a temporary directory, or PostgreSQL when ZHIFA_DATABASE_URL is set (a scratch database:
it is filled). The rows are inserted directly (foreign-key checks off for the load only), with realistic
text; the measured path is exactly the portal's: selectors.search → Paginator page 1.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ["消防通道", "危险化学品", "动火作业", "特种作业", "安全培训", "应急预案", "隐患排查", "储存", "仓库", "许可证", "检测", "防爆", "粉尘", "有限空间", "液氨", "烟花爆竹"]
CITIES = ["嘉兴市南湖区", "嘉兴市秀洲区", "海盐县", "嘉善县", "平湖市", "桐乡市", "海宁市"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def setup(tmp):
    os.environ["ZHIFA_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(rows: int) -> float:
    import datetime

    from django.db import connection, transaction

    from zhifa.org.tests import factories as f
    from zhifa.publicity.models import Publication, PublicationStatus
    from zhifa.publicity.services import index_text

    agency = f.agency("嘉兴市应急管理局")
    rng = random.Random(7)
    today = datetime.date.today()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            cursor.execute("SET session_replication_role = replica")
    batch = 5000
    for base in range(0, rows, batch):
        items = []
        for i in range(base, min(base + batch, rows)):
            words = rng.sample(WORDS, 3)
            person = rng.random() < 0.3
            name = f"{rng.choice(SURNAMES)}某" if person else f"{rng.choice(CITIES)}{rng.choice(WORDS)[:2]}贸易有限公司{i % 997}"
            day = today - datetime.timedelta(days=rng.randrange(1, 700))
            items.append(p := Publication(
                agency_id=agency.pk, case_id=i + 1, document_id=i + 1, token=f"b{i:09d}", category="penalty",
                decision_number=f"嘉应急罚决〔{day.year}〕{i + 1}号", decision_date=day, party_name=name,
                party_is_person=person, conclusion=f"罚款人民币 {rng.randrange(1, 200) * 500} 元",
                basis="《中华人民共和国安全生产法》第九十九条", source_text="",
                text=f"当事人{name}存在{words[0]}、{words[1]}方面的违法行为，{rng.choice(CITIES)}某处{words[2]}不符合规定。" * 3,
                due_date=day, due_rule="", status=PublicationStatus.PUBLISHED, published_on=day,
                take_down_on=day.replace(year=day.year + 5),
            ))
            p.search_grams = index_text(p)
        with transaction.atomic():
            Publication.objects.bulk_create(items, batch_size=1000)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("ANALYZE publicity_publication")
    return time.perf_counter() - started


def measure(queries: int) -> None:
    from zhifa.publicity import selectors

    rng = random.Random(11)
    terms = ["消防", "动火", "粉尘", "液氨", "危险化学品", "有限空间", "海盐县", "王某", "贸易有限公司3"]
    results = {}
    for term in terms:
        times = []
        for _ in range(max(3, queries // len(terms))):
            year = rng.choice(["", "", str(2025)])
            started = time.perf_counter()
            page = selectors.CappedPaginator(selectors.search(selectors.public_publications(), term, "", "", year), 20).get_page(1)
            list(page)
            times.append(time.perf_counter() - started)
        results[term] = times
    everything = sorted(t for ts in results.values() for t in ts)
    p = lambda q: everything[min(len(everything) - 1, int(len(everything) * q))] * 1000  # noqa: E731
    print(f"检索 {len(everything)} 次：中位 {p(0.5):.0f} ms，P95 {p(0.95):.0f} ms，最慢 {everything[-1] * 1000:.0f} ms")
    for term, times in results.items():
        print(f"  “{term}”（{len(term)} 字）：中位 {statistics.median(times) * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=180)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhifa-portal-") as tmp:
        setup(tmp)
        from django.db import connection

        print(f"数据库：{connection.vendor}，CPU {os.cpu_count()} 核")
        print(f"载入 {args.rows:,} 条已公示决定：{load(args.rows):.0f} 秒")
        measure(args.queries)


if __name__ == "__main__":
    main()
