import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_at_once():
    """Tasks run in the code that enqueues them (huey's immediate mode, an in-memory queue): the settings are loaded
    before this file, so the queue is switched here. zhifa/tests/test_task_queue.py runs the real queues."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(scope="session", autouse=True)
def _flush_bypasses_ledger_triggers():
    """The test runner empties tables between transactional tests; only it may lift the triggers."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from zhifa.ledger.guard import maintenance

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with maintenance(self.connection):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with empty caches: its database, not an earlier test's, answers, and no earlier test's
    failed sign-ins or API calls count against its rate limits."""
    from django.core.cache import caches

    caches["pages"].clear()
    caches["default"].clear()
    yield


@pytest.fixture(autouse=True)
def _second_factor_only_where_tested(request, settings):
    """Tests sign people in with force_login; the second factor is asked only by tests marked `two_factor`
    (zhifa/tests/test_two_factor.py and the browser journey), which exercise it with the production roles."""
    if "two_factor" not in request.keywords:
        settings.ZHIFA_TWO_FACTOR_ROLES = ()


@pytest.fixture
def world(db):
    """Two cities' agencies, a county agency and their supervisors, with one officer each."""
    from zhifa.core.roles import Role
    from zhifa.org.models import AgencyLevel
    from zhifa.org.tests import factories as f

    w = type("World", (), {})()
    w.admin = f.admin()
    w.province_justice = f.agency("浙江省司法厅", region="330000", level=AgencyLevel.PROVINCE, supervisory=True)
    w.city_justice = f.agency("嘉兴市司法局", region="330400", supervisory=True)
    w.city_a = f.agency("嘉兴市应急管理局", region="330400")
    w.county_a = f.agency("海盐县应急管理局", region="330424", level=AgencyLevel.COUNTY)
    w.other_city = f.agency("湖州市应急管理局", region="330500")
    w.officer_a = f.person(w.city_a, Role.OFFICER, username="officer_a", full_name="张伟", phone="13800000001", id_number="330402199003071237")
    w.officer_county = f.person(w.county_a, Role.OFFICER, username="officer_county", full_name="刘洋")
    w.officer_other = f.person(w.other_city, Role.OFFICER, username="officer_other", full_name="周杰")
    w.reviewer_a = f.person(w.city_a, Role.REVIEWER, username="reviewer_a", full_name="李娜", has_legal_qualification=True)
    w.head_a = f.person(w.city_a, Role.HEAD, Role.OFFICER, username="head_a", full_name="王强")
    w.city_supervisor = f.person(w.city_justice, Role.SUPERVISOR, username="sup_city", full_name="陈静")
    w.province_supervisor = f.person(w.province_justice, Role.SUPERVISOR, username="sup_prov", full_name="赵敏")
    w.cred_a = f.credential(w.officer_a, number="33040011001")
    w.cred_other = f.credential(w.officer_other, number="33050011001")
    return w


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    """Each test stores evidence files in its own directory."""
    path = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(path), "file_permissions_mode": 0o440},
        },
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents"), "file_permissions_mode": 0o440},
        },
    }
    settings.ZHIFA_DOCUMENT_KEY_DIR = str(tmp_path / "keys")
    return path


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sign_every_commit(settings):
    """Tests read tree heads right after a service returns: sign after every committed transaction."""
    settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS = 0


@pytest.fixture(autouse=True)
def _ledger_key_per_test(settings, tmp_path_factory):
    """Each test signs with a key of its own: attack tests swap and rotate keys, never the installation's."""
    settings.ZHIFA_LEDGER_KEY_FILE = str(tmp_path_factory.mktemp("ledger-key") / "sm2-signing-key.pem")
