#!/usr/bin/env python3
"""The task queue, notifications and webhooks, on both engines: prints figures, asserts nothing.

    .venv/bin/python bench/queue_bench.py --engine sqlite      # the embedded queue (a file beside the database)
    .venv/bin/python bench/queue_bench.py --engine redis       # Redis at 127.0.0.1:6379 (database 4, flushed)

On a fresh data directory (migrated here), with a `zhifa worker` process as deployed and a webhook receiver on a
local port:
- notifications per second: `workflow.services.notify` to 100 people at a time, in transactions;
- webhook deliveries per second: N ledger events appended through the service, each pushed to the receiver by the
  worker (dispatch, sign, POST, record), from the first append to the last delivery recorded;
- queue latency: a task enqueued by this process until the worker has run it (p50/p95 over sequential tasks).
"""

import argparse
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "redis"], default="sqlite")
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--latency-samples", type=int, default=200)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="zhifa-queue-bench-"))
    tasks_url = f"sqlite:///{var / 'tasks.sqlite3'}" if args.engine == "sqlite" else "redis://127.0.0.1:6379/4"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(ZHIFA_VAR_DIR=str(var), ZHIFA_TASKS_URL=tasks_url, DJANGO_SUPERUSER_PASSWORD="Zhifa@2026-bench", ZHIFA_WORKER_THREADS="2")
    os.environ.update(env)
    if args.engine == "redis":
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=4).flushdb()
    zhifa = [sys.executable, "-m", "zhifa.cli"]
    subprocess.run([*zhifa, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*zhifa, "createsuperuser", "--noinput", "--username", "admin", "--full_name", "管理员"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)

    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    import django

    django.setup()
    from types import SimpleNamespace

    from django.db import transaction

    from zhifa.core.roles import Role
    from zhifa.ledger import services as ledger
    from zhifa.org import services as org
    from zhifa.org.models import AgencyLevel, Person
    from zhifa.workflow import services, tasks
    from zhifa.workflow.models import Category, Delivery

    admin = Person.objects.get(username="admin")
    from zhifa.org.tests.factories import make_uscc

    agency = org.create_agency(admin, name="嘉兴市应急管理局", short_name="嘉兴应急", uscc=make_uscc("1133040000000001"), region_code="330400",
                               region_name="浙江省嘉兴市", sector="应急管理", level=AgencyLevel.CITY)
    people = [org.create_person(admin, username=f"p{i}", full_name=f"人员{i}", agency=agency, roles=[Role.OFFICER], password="Zhifa@2026-bench")
              for i in range(100)]

    # Notifications per second.
    start, made = time.perf_counter(), 0
    for i in range(50):
        with transaction.atomic():
            made += services.notify(people, category=Category.DEADLINE, title=f"期限提醒 {i}", link="/cases/", key=f"bench:{i}")
    seconds = time.perf_counter() - start
    print(f"[{args.engine}] 通知：{made} 条，{seconds:.2f} 秒，{made / seconds:,.0f} 条/秒（每次 100 人）")

    # Webhook deliveries per second, through the worker.
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            received.append(self.headers["X-Zhifa-Delivery"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    services.create_subscription(admin, name="基准接收方", url=f"http://127.0.0.1:{server.server_port}/hook", kinds=["ledger.verified"])
    worker = subprocess.Popen([*zhifa, "worker", "--quiet"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # the worker's start-up tick (a ledger verify of this small database) passes first
        base = Delivery.objects.filter(status="delivered").count()
        report = SimpleNamespace(ok=True, tree_size=0, tree_heads=0, files=0, seconds=0.0, problems=[])
        start = time.perf_counter()
        for _ in range(args.events):
            ledger.record_verification(report, checked_files=False)
        appended = time.perf_counter() - start
        deadline = time.monotonic() + 600
        while Delivery.objects.filter(status="delivered").count() - base < args.events and time.monotonic() < deadline:
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        done = Delivery.objects.filter(status="delivered").count() - base
        print(f"[{args.engine}] 推送：{done} 条送达（追加事件 {appended:.1f} 秒），自第一条追加至最后一条送达 {seconds:.1f} 秒，"
              f"{done / seconds:,.0f} 条/秒；接收方收到 {len(received)} 次，重复 {len(received) - len(set(received))} 次")

        # Queue latency: enqueue -> the worker has run it.
        waits = []
        for _ in range(args.latency_samples):
            t0 = time.perf_counter()
            result = tasks.send_emails.enqueue()
            while True:
                result.refresh()
                if result.status in ("SUCCESSFUL", "FAILED"):
                    break
                time.sleep(0.002)
            waits.append((time.perf_counter() - t0) * 1000)
        waits.sort()
        print(f"[{args.engine}] 队列延迟（入队到执行完毕，{len(waits)} 次）：p50 {statistics.median(waits):.0f} 毫秒，"
              f"p95 {waits[int(len(waits) * 0.95) - 1]:.0f} 毫秒，最大 {waits[-1]:.0f} 毫秒")
    finally:
        worker.kill()
        server.shutdown()


if __name__ == "__main__":
    main()
