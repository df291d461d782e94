"""The task queue as deployed, on both engines: `zhifa worker` processes on a real data directory, the embedded
SQLite queue and Redis (127.0.0.1:6379), a webhook receiver on a local port. Commands run as an operator would
run them; the test reads outcomes from their output and the receiver."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhifa.workflow.tests.test_services import Receiver, verified

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 3  # the tests' own database number; the page-cache tests use 1


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One migrated SQLite data directory with an administrator; each test works on a copy."""
    var = tmp_path_factory.mktemp("queue-base")
    env = _env(var, "immediate")
    run = lambda *args: subprocess.run([sys.executable, "-m", "zhifa.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # noqa: E731
    out = run("migrate", "--noinput")
    assert out.returncode == 0, out.stderr
    out = run("createsuperuser", "--noinput", "--username", "admin", "--full_name", "管理员")
    assert out.returncode == 0, out.stderr
    return var


def _env(var: Path, tasks_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DJANGO_"))}
    env.update(
        ZHIFA_VAR_DIR=str(var), ZHIFA_TASKS_URL=tasks_url, ZHIFA_WEBHOOK_TIMEOUT="2", DJANGO_SUPERUSER_PASSWORD="Zhifa@2026-queue",
        ZHIFA_WORKER_THREADS="2",
    )
    return env


class Site:
    """A data directory, its queue, its workers, and a webhook receiver that can be told to hang."""

    def __init__(self, base: Path, var: Path, tasks_url: str):
        shutil.copytree(base, var)
        self.var, self.env = var, _env(var, tasks_url)
        self.workers = []
        self.receiver = Receiver()
        self.requests, self.url = self.receiver.requests, self.receiver.url

    def zhifa(self, *args, check: bool = True) -> str:
        out = subprocess.run([sys.executable, "-m", "zhifa.cli", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 or not check, out.stdout + out.stderr
        return out.stdout

    def start_worker(self):
        log = open(self.var / f"worker-{len(self.workers)}.log", "w")
        proc = subprocess.Popen([sys.executable, "-m", "zhifa.cli", "worker"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.workers.append(proc)
        return proc

    def wait_for(self, condition, seconds: float, what: str):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        logs = "\n".join(p.read_text() for p in sorted(self.var.glob("worker-*.log")))
        pytest.fail(f"{what}：{seconds} 秒内未发生。\n{logs[-3000:]}")

    def close(self):
        for proc in self.workers:
            if proc.poll() is None:
                proc.kill()  # huey waits for running tasks on SIGTERM; the test has no use for that
                proc.wait(timeout=10)
        self.receiver.close()


@pytest.fixture(params=["sqlite", "redis"])
def site(request, migrated, tmp_path):
    if request.param == "redis":
        if not redis_up():
            if os.environ.get("CI") == "true":
                pytest.fail("Redis（127.0.0.1:6379）未运行：CI 下不得跳过。")
            pytest.skip("Redis 未运行")
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
        url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    else:
        url = f"sqlite:///{tmp_path / 'site' / 'tasks.sqlite3'}"
    s = Site(migrated, tmp_path / "site", url)
    yield s
    s.close()


def ledger_verify_done(site) -> bool:
    line = next((x for x in site.zhifa("jobs", "list").splitlines() if x.startswith("ledger-verify")), "")
    return "已完成" in line


def test_an_event_is_pushed_through_the_worker_and_survives_the_worker_being_killed_mid_send(site):
    out = site.zhifa("webhooks", "add", "省级监督平台", site.url, "--kind", "ledger.verified")
    secret = re.search(r"签名密钥（只显示这一次，请交给接收方）：(\S+)", out).group(1)
    site.start_worker()
    # Its start-up tick runs the scheduled jobs due now: the nightly verification's outcome is pushed too.
    site.wait_for(lambda: ledger_verify_done(site) and len(site.requests) == 1, 60, "启动时补做的账本核验及其推送")
    time.sleep(2)
    site.requests.clear()

    # An event committed by another process (the CLI) reaches the receiver through the worker, signed.
    site.zhifa("ledger", "verify", "--skip-files", check=False)  # exits 1 here (createsuperuser wrote no event)
    site.wait_for(lambda: len(site.requests) == 1, 30, "推送送达")
    headers, body = site.requests[0]
    assert "hmac-sm3=" in headers["X-Zhifa-Signature"] and verified(headers, body, secret)
    assert not verified(headers, body + b" ", secret)
    assert headers["X-Zhifa-Event"] == "ledger.verified"

    # The receiver hangs on the next one; the worker sending it is killed. A new worker sends it again once the
    # dead worker's claim has run out (2 × the 2 s timeout + 5 s), with the same delivery id: the receiver, which
    # deduplicates by X-Zhifa-Delivery, acts on it once. Nothing else is sent twice.
    site.requests.clear()
    site.receiver.hang_first = True  # the worker sending the next one is killed meanwhile
    site.zhifa("ledger", "verify", "--skip-files", check=False)
    site.wait_for(lambda: len(site.requests) == 1, 30, "第二条推送开始发送")
    site.workers[-1].send_signal(signal.SIGKILL)
    site.workers[-1].wait(timeout=10)
    time.sleep(10)
    site.start_worker()
    site.wait_for(lambda: len(site.requests) == 2, 40, "新进程重发被中断的推送")
    first, again = site.requests
    assert first[0]["X-Zhifa-Delivery"] == again[0]["X-Zhifa-Delivery"] and first[1] == again[1]
    site.wait_for(lambda: "尝试 1" in site.zhifa("webhooks", "deliveries").splitlines()[0], 20, "记为已送达")
    rows = site.zhifa("webhooks", "deliveries").strip().splitlines()
    assert len(rows) == 3 and all("已送达" in r for r in rows), rows
    time.sleep(3)
    assert len(site.requests) == 2  # delivered: never sent again


def test_a_scheduled_job_runs_through_the_worker_once_per_slot(site):
    site.start_worker()  # its start-up tick runs the jobs due now (their latest slot has no run yet)
    site.wait_for(lambda: ledger_verify_done(site), 60, "定时任务 ledger-verify 完成")
    assert "publication-takedown" in site.zhifa("jobs", "list")
    # Asked again for the same slot, it does nothing.
    assert "未重复执行" in site.zhifa("jobs", "run", "ledger-verify")


@pytest.mark.parametrize("url", ["amqp://127.0.0.1/", "sqlite://relative.db", "nonsense"])
def test_an_unknown_queue_address_stops_the_start_with_a_chinese_reason(tmp_path, url):
    out = subprocess.run([sys.executable, "-m", "zhifa.cli", "check"], cwd=ROOT, env=_env(tmp_path, url), capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "ZHIFA_TASKS_URL 无法识别" in out.stderr and "Traceback" not in out.stderr.splitlines()[-1]
