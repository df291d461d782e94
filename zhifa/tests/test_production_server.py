"""`zhifa serve` starts the production server (gunicorn) the way an operator would, on a fresh data directory."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_zhifa_serve_runs_gunicorn_with_migrations_and_static_files(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ZHIFA_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(ZHIFA_VAR_DIR=str(tmp_path), ZHIFA_WORKERS="1", ZHIFA_THREADS="2")
    server = subprocess.Popen(
        [sys.executable, "-m", "zhifa.cli", "serve", "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline, body = time.monotonic() + 120, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/gs/", timeout=5) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None, server.stdout.read().decode() if server.poll() is not None else "服务未在 120 秒内就绪"
        assert "公示" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/zhifa/zhifa.css", timeout=5) as css:
            assert css.status == 200 and b"table" in css.read()
        assert (tmp_path / "zhifa.sqlite3").exists()  # migrated on start
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    assert b"gunicorn" in server.stdout.read().lower()
