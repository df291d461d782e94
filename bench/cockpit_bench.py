#!/usr/bin/env python3
"""数据驾驶舱 at scale: the cockpit page of a provincial, a city and a county supervisor, through the real view,
on the data set of bench/scale.py (100 k cases, 1 M decisions). Prints p50/p95 and queries per scope level.

    .venv/bin/python bench/scale.py generate --dir /tmp/zhifa-scale ...        # once
    ZHIFA_VAR_DIR=/tmp/zhifa-scale .venv/bin/python bench/cockpit_bench.py --runs 15
    ZHIFA_DATABASE_URL=postgres://… .venv/bin/python bench/cockpit_bench.py   # the same on PostgreSQL
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhifa.core.roles import Role
    from zhifa.org import twofactor
    from zhifa.org.models import Person

    call_command("migrate", verbosity=0)
    from zhifa.cases.models import Case
    from zhifa.publicity.models import Publication

    print(f"数据库 {connection.vendor}：案件 {Case.objects.count():,} 件，公示决定 {Publication.objects.count():,} 条")
    supervisors = Person.objects.filter(role_assignments__role=Role.SUPERVISOR, is_active=True).select_related("agency")
    chosen = {}
    for person in supervisors:
        chosen.setdefault(person.agency.level, person)
    for level in ("province", "city", "county"):
        person = chosen.get(level)
        if person is None:
            print(f"{level}：没有该层级的监督人员，跳过")
            continue
        client = Client()
        client.force_login(person)
        session = client.session
        session[twofactor.SESSION_KEY] = ""
        session.save()
        client.get("/supervision/")
        took = []
        for _ in range(args.runs):
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/supervision/")
            took.append(1000 * (time.perf_counter() - t))
        took.sort()
        p95 = took[min(len(took) - 1, int(len(took) * 0.95))]
        print(f"{person.agency.name}（{person.agency.get_level_display()}）：HTTP {response.status_code}，P50 {statistics.median(took):.0f} ms，"
              f"P95 {p95:.0f} ms，查询 {len(queries)} 次")


if __name__ == "__main__":
    main()
