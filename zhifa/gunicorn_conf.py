"""gunicorn settings for production (`zhifa serve`, or `gunicorn -c zhifa/gunicorn_conf.py zhifa.wsgi`).

Each setting can be overridden from the environment (ZHIFA_BIND, ZHIFA_WORKERS, ZHIFA_THREADS, ZHIFA_TIMEOUT).
"""

import multiprocessing
import os

bind = os.environ.get("ZHIFA_BIND", "127.0.0.1:8000")
# Threaded workers: a request waiting on the database or on a large upload does not hold a whole process.
worker_class = "gthread"
workers = int(os.environ.get("ZHIFA_WORKERS", max(2, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("ZHIFA_THREADS", 4))
# Evidence uploads of several GB stream through the request: allow ten minutes of silence before a worker
# is declared hung (a reverse proxy in front should have a matching client_body timeout).
timeout = int(os.environ.get("ZHIFA_TIMEOUT", 600))
graceful_timeout = 60
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded; jitter keeps them from restarting together.
max_requests = 50000
max_requests_jitter = 5000
accesslog = "-"
errorlog = "-"
proc_name = "zhifa"
forwarded_allow_ips = os.environ.get("ZHIFA_FORWARDED_ALLOW_IPS", "127.0.0.1")
