#!/usr/bin/env python3
"""zhifa at provincial scale: build a large data set, then drive the real pages over HTTP.

    # 1. build (SQLite in --dir, or PostgreSQL when ZHIFA_DATABASE_URL is set: a scratch database, it is filled)
    .venv/bin/python bench/scale.py generate --dir /tmp/zhifa-scale --decisions 1000000 --cases 100000 --events 1000000
    # 2. serve it the production way, in another shell (the per-person API limit off: one bench user is 32 clients)
    ZHIFA_VAR_DIR=/tmp/zhifa-scale ZHIFA_CACHE_URL=redis://127.0.0.1:6379/1 ZHIFA_API_RATE_USER= \
        .venv/bin/zhifa serve --bind 127.0.0.1:8700 --no-migrate
    # 3. measure: p50/p95 and requests/s per page at 1, 8 and 32 concurrent clients, and queries per page
    .venv/bin/python bench/scale.py http --base http://127.0.0.1:8700 --concurrency 1,8,32 --seconds 10
    ZHIFA_VAR_DIR=/tmp/zhifa-scale .venv/bin/python bench/scale.py queries
    ZHIFA_VAR_DIR=/tmp/zhifa-scale .venv/bin/python bench/scale.py appends --count 5000
    ZHIFA_VAR_DIR=/tmp/zhifa-scale .venv/bin/zhifa ledger verify --skip-files

On a VM that reclaims page cache by itself, serve the SQLite data set from a copy in /dev/shm (cp -a /tmp/zhifa-scale
/dev/shm/): read from disk under load, the figures varied by half between identical runs (docs/decisions.md).

The shapes are realistic: the demo's agencies and people (built through the services), cases spread over
every stage of the penalty procedure with parties and officers, published decisions with redacted text, and
a ledger appended through `ledger.services.append` (the path every service takes), signed by the periodic
signer. Bulk rows are inserted directly for speed; the ledger is not (it is what is being measured).
"""

import argparse
import datetime
import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ["消防通道", "危险化学品", "动火作业", "特种作业", "安全培训", "应急预案", "隐患排查", "储存", "仓库", "许可证", "检测", "防爆", "粉尘", "有限空间", "液氨", "烟花爆竹"]
PLACES = ["嘉兴市南湖区", "嘉兴市秀洲区", "海盐县", "嘉善县", "平湖市", "桐乡市", "海宁市"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
STAGES = ["filing", "investigation", "investigation_end", "notice", "statement", "legal_review", "decision", "service", "execution", "closed"]

PUBLIC_PAGES = [
    "/gs/", "/gs/agencies/", "/gs/decisions/", "/gs/decisions/?q=消防", "/gs/decisions/?q=危险化学品", "/gs/decisions/?q=王某",
    "/gs/decisions/?page=50", "/gs/officers/", "/gs/procedures/",
    # Every request a different search (2-character words, surnames, long phrases, several pages), never from the
    # page cache: these lines measure the search itself.
    "/gs/decisions/?q={两字词}", "/gs/decisions/?q={姓氏}", "/gs/decisions/?q={长词组}",
]


def _vocabulary() -> dict:
    two = sorted({w[i:i + 2] for w in WORDS + PLACES for i in range(len(w) - 1)})
    return {
        "两字词": [f"{w}&page={p}" for w in two for p in range(1, 6)],
        "姓氏": [f"{s}某&page={p}" for s in SURNAMES for p in range(1, 51)],
        "长词组": [f"{a}、{b}方面的违法行为&page={p}" for a in WORDS for b in WORDS if a != b for p in range(1, 3)],
    }
STAFF_PAGES = ["/", "/cases/", "/cases/?page=1000", "/cases/?q=仓库", "/ledger/", "/publicity/?status=", "/evidence/", "/org/people/",
               "/api/v1/cases/", "/api/v1/ledger/events/", "/api/v1/publications/"]


def django_setup(var_dir: str | None):
    if var_dir:
        os.environ["ZHIFA_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()


def _bulk_mode(on: bool):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA foreign_keys = {'OFF' if on else 'ON'}")
        else:
            cursor.execute(f"SET session_replication_role = {'replica' if on else 'DEFAULT'}")


def generate(args):
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    django_setup(args.dir)
    from django.core.management import call_command
    from django.db import connection, transaction

    from zhifa.cases.models import Case, CaseOfficer, Party
    from zhifa.cases.services import search_text
    from zhifa.demodata.org import seed_demo
    from zhifa.documents.models import Document, DocumentStatus
    from zhifa.org.models import Agency, Person
    from zhifa.procedures.models import ProcedureDefinition
    from zhifa.procedures.services import publish_bundled
    from zhifa.publicity.models import Publication, PublicationStatus
    from zhifa.publicity.services import index_text

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Agency.objects.exists():
        seed_demo()
        publish_bundled(None)
    print(f"数据库 {connection.vendor}；机构与人员（经服务层）：{time.perf_counter() - started:.0f} 秒")
    rng = random.Random(7)
    agencies = list(Agency.objects.filter(is_supervisory=False))
    officers = {a.pk: list(Person.objects.filter(agency=a, role_assignments__role="officer").values_list("pk", flat=True)) for a in agencies}
    agencies = [a for a in agencies if len(officers[a.pk]) >= 2]
    procedure = ProcedureDefinition.objects.filter(code="penalty_general").order_by("-version").first()
    opener = Person.objects.filter(role_assignments__role="officer").first()
    today = datetime.date.today()

    t = time.perf_counter()
    _bulk_mode(True)
    base = Case.objects.count()
    for start in range(0, args.cases, 5000):
        rows = []
        for i in range(start, min(start + 5000, args.cases)):
            agency = rng.choice(agencies)
            day = today - datetime.timedelta(days=rng.randrange(1, 1000))
            stage = rng.choice(STAGES)
            rows.append(Case(
                number=f"{agency.short_name}立〔{day.year}〕{base + i + 1}号", agency=agency, procedure=procedure,
                title=f"{rng.choice(PLACES)}{rng.choice(WORDS)}违法案", source="inspection", facts=f"检查发现{rng.choice(WORDS)}不符合规定。",
                place=rng.choice(PLACES), occurred_on=day - datetime.timedelta(days=3), discovered_on=day, stage=stage,
                status="closed" if stage == "closed" else "open", opened_by=opener, opened_on=day,
            ))
        with transaction.atomic():
            made = Case.objects.bulk_create(rows, batch_size=1000)
            parties = [Party(case=c, kind="organisation", name=f"{rng.choice(PLACES)}某贸易有限公司{c.pk % 997}", address=c.place) for c in made]
            Party.objects.bulk_create(parties, batch_size=1000)
            for c, party in zip(made, parties):
                c.search_grams = search_text(c, [party])
            Case.objects.bulk_update(made, ["search_grams"], batch_size=1000)
            CaseOfficer.objects.bulk_create([CaseOfficer(case=c, person_id=p) for c in made for p in rng.sample(officers[c.agency_id], 2)],
                                            batch_size=1000)
    print(f"案件 {args.cases:,} 件（含当事人、承办人员）：{time.perf_counter() - t:.0f} 秒")

    t = time.perf_counter()
    base = Publication.objects.count() + 10_000_000
    cases_by_agency = {}
    for pk, agency_id in Case.objects.values_list("pk", "agency_id")[:200_000]:
        cases_by_agency.setdefault(agency_id, []).append(pk)
    deciding = [a for a in agencies if a.pk in cases_by_agency] or agencies
    for start in range(0, args.decisions, 5000):
        rows, documents = [], []
        for i in range(start, min(start + 5000, args.decisions)):
            agency = rng.choice(deciding)
            words = rng.sample(WORDS, 3)
            person = rng.random() < 0.3
            name = f"{rng.choice(SURNAMES)}某" if person else f"{rng.choice(PLACES)}{rng.choice(WORDS)[:2]}贸易有限公司{i % 997}"
            day = today - datetime.timedelta(days=rng.randrange(1, 700))
            number = f"{agency.short_name}罚决〔{day.year}〕{base + i + 1}号"
            case_id = rng.choice(cases_by_agency.get(agency.pk, [0]))
            # The issued 行政处罚决定书 each publication comes from (its PDF is not rendered: read benches only).
            documents.append(Document(
                case_id=case_id, agency=agency, doc_type="penalty_decision", title="行政处罚决定书", number=number,
                status=DocumentStatus.ISSUED, content={}, created_by=opener, issued_by=opener, issued_on=day,
            ))
            p = Publication(
                agency=agency, case_id=case_id, token=f"s{base + i:010d}", category="penalty",
                decision_number=number, decision_date=day, party_name=name,
                party_is_person=person, conclusion=f"罚款人民币 {rng.randrange(1, 200) * 500} 元", basis="《中华人民共和国安全生产法》第九十九条",
                source_text="", text=f"当事人{name}存在{words[0]}、{words[1]}方面的违法行为，{rng.choice(PLACES)}某处{words[2]}不符合规定。" * 3,
                due_date=day, due_rule="", status=PublicationStatus.PUBLISHED, published_on=day, take_down_on=day.replace(year=day.year + 5),
            )
            p.search_grams = index_text(p)
            rows.append(p)
        with transaction.atomic():
            for document, p in zip(Document.objects.bulk_create(documents, batch_size=1000), rows):
                p.document_id = document.pk
            Publication.objects.bulk_create(rows, batch_size=1000)
    _bulk_mode(False)
    print(f"公示决定 {args.decisions:,} 条：{time.perf_counter() - t:.0f} 秒")

    from zhifa.ledger import services as ledger
    from zhifa.ledger.models import LedgerEvent

    t = time.perf_counter()
    sample = list(Case.objects.order_by("?")[:2000]) if args.events else []
    per_txn = 50  # a service appends one to a few events per transaction; the signer signs every second
    done = 0
    while done < args.events:
        with transaction.atomic():
            for _ in range(min(per_txn, args.events - done)):
                case = sample[done % len(sample)]
                ledger.append("cases.case.moved", actor=None, obj=case, data={
                    "number": case.number, "procedure": "penalty_general", "agency": case.agency_id, "stage": case.stage,
                    "status": case.status, "from": "filing", "to": case.stage, "transition": "流转",
                })
                done += 1
    ledger.signer.flush()
    print(f"账本事件 {args.events:,} 条（经 ledger.append，定时签名）：{time.perf_counter() - t:.0f} 秒，"
          f"共 {LedgerEvent.objects.count():,} 条")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"合计 {time.perf_counter() - started:.0f} 秒")


def realistic(args):
    """A ledger produced only by real services, one transaction per call as the pages make them, for an honest
    `zhifa ledger verify`: cases opened with parties and officers and their proposals set, people updated,
    holidays set, evidence looked at. Every table the verifier replays is then fully backed by the ledger."""
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    django_setup(args.dir)
    from django.core.management import call_command
    from django.db import connection

    from zhifa.cases import services as cases
    from zhifa.core import services as core
    from zhifa.demodata.org import seed_demo
    from zhifa.evidence import services as evidence
    from zhifa.evidence.models import AccessAction, AccessChannel, Evidence
    from zhifa.ledger import services as ledger
    from zhifa.ledger.models import LedgerEvent
    from zhifa.org import services as org
    from zhifa.org.models import Agency, Person
    from zhifa.procedures.services import publish_bundled

    call_command("migrate", verbosity=0)
    if not Agency.objects.exists():
        seed_demo()
        publish_bundled(None)
    rng = random.Random(11)
    admin = Person.objects.get(username="admin")
    teams, today = [], datetime.date.today()
    for agency in Agency.objects.filter(is_supervisory=False):
        holders = list(Person.objects.filter(
            agency=agency, is_active=True, is_auxiliary=False, role_assignments__role="officer", credentials__status="valid",
            credentials__valid_from__lte=today, credentials__valid_until__gte=today,
        ).distinct()[:4])
        if len(holders) >= 2:
            teams.append(holders)
    people = list(Person.objects.filter(role_assignments__role="officer")[:200])
    items = list(Evidence.objects.all()[:10])
    first = datetime.date(2031, 1, 1)
    started, made, i = time.perf_counter(), LedgerEvent.objects.count(), 0
    goal = made + args.events
    while made < goal:
        i += 1
        team = rng.choice(teams)
        case = cases.open_case(
            team[0], procedure_code="penalty_general", title=f"{rng.choice(PLACES)}{rng.choice(WORDS)}违法案", source="inspection",
            parties=[{"kind": "organisation", "name": f"{rng.choice(PLACES)}某贸易有限公司{i % 997}", "id_code": "",
                      "address": rng.choice(PLACES)}],
            officers=team[:2], facts=f"检查发现{rng.choice(WORDS)}不符合规定。", place=rng.choice(PLACES),
            occurred_on=datetime.date.today() - datetime.timedelta(days=rng.randrange(3, 300)),
        )
        cases.set_proposal(team[0], case, outcome="penalty", penalty_kinds=["fine"], fine_amount=rng.randrange(1, 50) * 1000,
                           legal_basis="《中华人民共和国安全生产法》第九十九条")
        org.update_person(admin, rng.choice(people), position=f"执法队员（{i}）")
        core.set_day_override(admin, date=first + datetime.timedelta(days=i % 3000), is_workday=bool(i % 2), name="调整", source="测试")
        for item in items[:2]:
            evidence.record_access(admin, item, action=AccessAction.VIEW, channel=AccessChannel.WEB, reason="核查")
        if i % 200 == 0:
            made = LedgerEvent.objects.count()
            rate = (made - goal + args.events) / (time.perf_counter() - started)
            print(f"\r账本事件 {made:,} 条，{rate:,.0f} 条/秒", end="", flush=True)
    ledger.signer.flush()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n经服务层写入 {args.events:,} 条事件，用时 {time.perf_counter() - started:.0f} 秒")


def _totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as the authenticator app computes it."""
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int((at or time.time()) // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def _login(base: str, username: str, password: str) -> str:
    """A session cookie, by the login form (CSRF token included), and by the second factor when the account owes it:
    the bench enrols an authenticator the first time (keeping the secret in a file beside the system's temp files)
    and answers with its codes after, as a person with a phone would."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)

    def form_post(path, fields, cookie):
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        conn.request("POST", path, urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}),
                     {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": f"{base}{path}"})
        answer = conn.getresponse()
        answer.read()
        return body, answer

    conn.request("GET", "/login/")
    response = conn.getresponse()
    response.read()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    _, response = form_post("/login/", {"username": username, "password": password}, f"csrftoken={csrf}")
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if not session:
        raise SystemExit("登录失败：请确认演示账号与口令。")
    cookie = f"sessionid={session.group(1)}; csrftoken={csrf}"
    conn.request("GET", "/", headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    where = response.getheader("Location") or ""
    if "/two-factor/" not in where:
        return cookie
    secret_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"zhifa-bench-{url.port}-{username}.totp"
    if "/two-factor/setup/" in where:
        conn.request("GET", "/org/two-factor/setup/", headers={"Cookie": cookie})
        response = conn.getresponse()
        secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', response.read().decode()).group(1).replace(" ", "")
        secret_file.write_text(secret)
        path = "/org/two-factor/setup/"
    elif secret_file.exists():
        secret, path = secret_file.read_text().strip(), "/org/two-factor/"
    else:
        raise SystemExit(f"{username} 已绑定两步验证，但没有本工具保存的密钥（{secret_file}）：先运行 zhifa twofactor reset {username}。")
    for attempt in range(2):
        _, response = form_post(path, {"code": _totp(secret, time.time() + 30 * attempt)}, cookie)
        session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
        if response.status in (200, 302) and session:
            return f"sessionid={session.group(1)}; csrftoken={csrf}"
        time.sleep(2)  # a code used a moment ago is refused: the next one
    raise SystemExit("两步验证未通过。")


def _run(base, path, cookie, clients, seconds):
    url = urllib.parse.urlsplit(base)
    times, errors, hits = [], [], []
    vocabulary = _vocabulary()
    slot = re.search(r"\{(\w+)\}", path)

    def target():
        if not slot:
            return path
        # A parameter the page ignores makes every request's address new: none is answered from the cache.
        return path.replace(slot.group(0), random.choice(vocabulary[slot.group(1)])) + f"&n={random.randrange(10**9)}"
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", urllib.parse.quote(target(), safe="/?=&"), headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
                hits.append(response.getheader("X-Zhifa-Cache") == "hit")
                if response.status != 200:
                    errors.append(response.status)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(type(exc).__name__)
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    begun = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - begun
    times.sort()
    pct = lambda q: times[min(len(times) - 1, int(len(times) * q))] * 1000 if times else float("nan")  # noqa: E731
    return {"n": len(times), "p50": pct(0.5), "p95": pct(0.95), "rps": len(times) / elapsed, "errors": errors[:3],
            "hit": sum(hits) / len(hits) if hits else 0}


WRK_SCRIPT = r"""
-- Written by bench/scale.py: every request picks one of the addresses below; a varied line adds a parameter the
-- page ignores, so no request is answered from the page cache. Figures are gathered from every wrk thread.
local paths = {%(paths)s}
local varied = %(varied)s
local threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
init = function(args)
  math.randomseed(os.time() * 97 + id)
  hits = 0
  bad = 0
  wrk.headers["Cookie"] = %(cookie)s
end
request = function()
  local path = paths[math.random(#paths)]
  if varied then path = path .. "&n=" .. math.random(1000000000) end
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  if headers["X-Zhifa-Cache"] == "hit" then hits = hits + 1 end
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local h, b = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("ZHIFA %%d %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), h, b, e.connect + e.read + e.write + e.timeout))
end
"""


def _run_wrk(base, path, cookie, clients, seconds):
    """The same line measured by wrk (Debian's `wrk`): a C client whose own CPU use is small, so that on a 2-core
    machine the server, not the bench, gets the cores."""
    import json
    import subprocess
    import tempfile

    slot = re.search(r"\{(\w+)\}", path)
    choices = [path.replace(slot.group(0), v) for v in _vocabulary()[slot.group(1)]] if slot else [path]
    quoted = [urllib.parse.quote(c, safe="/?=&") for c in choices]
    script = WRK_SCRIPT % {"paths": ", ".join(json.dumps(q) for q in quoted), "varied": "true" if slot else "false",
                           "cookie": json.dumps(cookie or "")}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "--timeout", "60s",
                              "-s", f.name, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    n, duration, p50, p95, hits, bad, failed = (int(x) for x in re.search(r"ZHIFA (.*)", out).group(1).split())
    return {"n": n, "p50": p50 / 1000, "p95": p95 / 1000, "rps": n / (duration / 1e6), "hit": hits / n if n else 0,
            "errors": ([f"非200 {bad} 次"] if bad else []) + ([f"连接错误 {failed} 次"] if failed else [])}


def http_bench(args):

    cookie = _login(args.base, args.user, args.password)
    levels = [int(c) for c in args.concurrency.split(",")]
    print(f"{'页面':<28}" + "".join(f"  {c:>2} 并发: P50/P95 ms, 次/秒" for c in levels))
    print("（公开页面对匿名访问者走页面缓存，见 zhifa/core/pagecache.py；“缓存命中”为该组请求中由缓存答复的比例）")
    for path in PUBLIC_PAGES + STAFF_PAGES:
        if args.only and args.only not in path:
            continue
        line = f"{path:<28}"
        for clients in levels:
            run = _run_wrk if args.client == "wrk" else _run
            r = run(args.base, path, None if path.startswith("/gs/") else cookie, clients, args.seconds)
            line += f"  {r['p50']:>7.0f}/{r['p95']:<7.0f}{r['rps']:>8.1f}"
            if path.startswith("/gs/"):
                line += f" 缓存命中{r['hit']:>4.0%}"
            if r["errors"]:
                line += f" 错误{r['errors']}"
        print(line, flush=True)


def queries(args):
    django_setup(None)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhifa.org import twofactor
    from zhifa.org.models import Person

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(username=args.user))
    session = client.session
    session[twofactor.SESSION_KEY] = twofactor.VERIFIED  # as after the authenticator's code (the http bench enters it)
    session.save()
    vocabulary = _vocabulary()
    for path in PUBLIC_PAGES + STAFF_PAGES:
        slot = re.search(r"\{(\w+)\}", path)
        path = path.replace(slot.group(0), vocabulary[slot.group(1)][7]) if slot else path
        client.get(path)  # warm: templates compiled, URL resolver built, the page's rows in the cache
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status = client.get(path).status_code
            took = (time.perf_counter() - started) * 1000
        slowest = max((float(q["time"]) for q in captured.captured_queries), default=0) * 1000
        print(f"{path:<28} {status}  查询 {len(captured):>3} 次，{took:>6.0f} ms（最慢一条 {slowest:.0f} ms）")


def appends(args):
    """Single-event appends through real services, each call one transaction and one ledger event:
    updating a person (full validation of the record) and logging a 调阅 of a piece of evidence."""
    django_setup(None)
    from zhifa.evidence import services as evidence
    from zhifa.evidence.models import AccessAction, AccessChannel, Evidence
    from zhifa.org import services
    from zhifa.org.models import Person

    admin = Person.objects.get(username=args.user)
    person = Person.objects.filter(role_assignments__role="officer").first()
    started = time.perf_counter()
    for i in range(args.count):
        services.update_person(admin, person, position=f"执法队员（{i}）")
    took = time.perf_counter() - started
    print(f"修改人员信息（org.services.update_person）{args.count:,} 次：{args.count / took:,.0f} 次/秒")
    from zhifa.core import services as core

    started = time.perf_counter()
    first = datetime.date(2030, 1, 1)
    for i in range(args.count):
        core.set_day_override(admin, date=first + datetime.timedelta(days=i % 3000), is_workday=bool(i % 2), name="压测调整", source="压测")
    took = time.perf_counter() - started
    print(f"调整节假日（core.services.set_day_override）{args.count:,} 次：{args.count / took:,.0f} 次/秒")
    item = Evidence.objects.first()
    if item is None:
        print("库中没有证据，跳过调阅记录。")
        return
    started = time.perf_counter()
    for _ in range(args.count):
        evidence.record_access(admin, item, action=AccessAction.VIEW, channel=AccessChannel.API, reason="压测")
    took = time.perf_counter() - started
    print(f"登记证据调阅（evidence.services.record_access）{args.count:,} 次：{args.count / took:,.0f} 次/秒")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="action", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--dir", default="/tmp/zhifa-scale")
    g.add_argument("--decisions", type=int, default=1_000_000)
    g.add_argument("--cases", type=int, default=100_000)
    g.add_argument("--events", type=int, default=1_000_000)
    r = sub.add_parser("realistic")
    r.add_argument("--dir", default="/tmp/zhifa-real")
    r.add_argument("--events", type=int, default=1_000_000)
    h = sub.add_parser("http")
    h.add_argument("--base", default="http://127.0.0.1:8700")
    h.add_argument("--concurrency", default="1,8,32")
    h.add_argument("--seconds", type=float, default=10)
    h.add_argument("--user", default="admin")
    h.add_argument("--password", default="Zhifa@2026")
    h.add_argument("--only", default="", help="只测地址中含此文字的页面")
    h.add_argument("--client", choices=["python", "wrk"], default="wrk",
                   help="压测客户端：wrk（C 程序，几乎不占 CPU，默认）或 python（线程，本机上会与服务争用两个核）")
    q = sub.add_parser("queries")
    q.add_argument("--user", default="admin")
    a = sub.add_parser("appends")
    a.add_argument("--count", type=int, default=5000)
    a.add_argument("--user", default="admin")
    args = parser.parse_args()
    {"generate": generate, "realistic": realistic, "http": http_bench, "queries": queries, "appends": appends}[args.action](args)


if __name__ == "__main__":
    main()
