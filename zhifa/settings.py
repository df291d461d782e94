"""zhifa settings.

The embedded default is SQLite + local files. Set ZHIFA_DATABASE_URL (for example
postgres://postgres@127.0.0.1:5432/zhifa) to run the same code on PostgreSQL.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", BASE_DIR / "var"))

DEMO_SECRET_KEY = "zhifa-insecure-demo-key-change-me-in-production"
# ZHIFA_PRODUCTION=1: a deployment. zhifa then refuses to start without a real secret key and ledger key, and turns
# on HTTPS-only cookies, HSTS and the redirect to HTTPS (docs/security.md).
PRODUCTION = os.environ.get("ZHIFA_PRODUCTION", "0") == "1"
DEBUG = os.environ.get("ZHIFA_DEBUG", "0") == "1" and not PRODUCTION
SECRET_KEY = os.environ.get("ZHIFA_SECRET_KEY", "" if PRODUCTION else DEMO_SECRET_KEY)
ALLOWED_HOSTS = os.environ.get("ZHIFA_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_htmx",
    "django_tasks",
    "huey.contrib.djhuey",
    "zhifa.core",
    "zhifa.ledger",
    "zhifa.org",
    "zhifa.workflow",
    "zhifa.powers",
    "zhifa.procedures",
    "zhifa.cases",
    "zhifa.documents",
    "zhifa.evidence",
    "zhifa.review",
    "zhifa.publicity",
    "zhifa.inspections",
    "zhifa.supervision",
    "zhifa.demodata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhifa.core.middleware.RejectNulBytesMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhifa.core.pagecache.PublicPageCacheMiddleware",
    "zhifa.core.security.SessionTimeoutMiddleware",
    "zhifa.org.middleware.TwoFactorMiddleware",
    "zhifa.org.middleware.PasswordExpiryMiddleware",
    "zhifa.core.ratelimit.LoginAddressLimitMiddleware",
    # Last: refuses the login request of a locked-out account before any view sees it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhifa.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhifa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.core.context_processors.navigation",
                "zhifa.workflow.context_processors.unread",
            ],
        },
    },
    # The row loops of the long staff lists (zhifa/core/jinja.py); pages themselves stay Django templates.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "zhifa" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "zhifa.core.jinja.environment"},
    },
]

WSGI_APPLICATION = "zhifa.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("ZHIFA_DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}"),
        # Persistent connections, checked before reuse: a new PostgreSQL connection per request halved throughput.
        conn_max_age=int(os.environ.get("ZHIFA_DB_CONN_MAX_AGE", 600)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a writing transaction takes the lock when it starts, so concurrent ledger appends queue.
    # WAL: readers never wait for the writer, and a commit costs one fsync of the log.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )

# Caches: per process by default; ZHIFA_CACHE_URL (redis://127.0.0.1:6379/1) shares them between workers.
_CACHE_URL = os.environ.get("ZHIFA_CACHE_URL", "")
if _CACHE_URL:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL, "KEY_PREFIX": f"zhifa-{alias}"}
        for alias in ("default", "pages")
    }
    # Sessions read from the shared cache, written through to the database. Only with a shared cache: a per-process
    # cache would keep a signed-out session alive in the other workers.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhifa-default"},
        # About 500 rendered public pages per process (a page is 10-60 KB).
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhifa-pages", "OPTIONS": {"MAX_ENTRIES": 500}},
    }
# Task queue (zhifa/core/jobs.py, docs/decisions.md): Django's tasks API on huey. The queue lives in an SQLite file
# beside the database by default (no extra server), in Redis with ZHIFA_TASKS_URL=redis://127.0.0.1:6379/2, and
# runs each task at once in the caller with ZHIFA_TASKS_URL=immediate (the tests). `zhifa worker` consumes it.
ZHIFA_TASKS_URL = os.environ.get("ZHIFA_TASKS_URL", f"sqlite:///{VAR_DIR / 'tasks.sqlite3'}")
# An idle SQLite queue is polled at most a second apart (huey backs off to 10 s by default); Redis blocks on the list.
_consumer = {"workers": int(os.environ.get("ZHIFA_WORKER_THREADS", 2)), "worker_type": "thread", "check_worker_health": True, "max_delay": 1.0}
if ZHIFA_TASKS_URL.startswith(("redis://", "rediss://", "unix://")):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "zhifa", "url": ZHIFA_TASKS_URL, "immediate": False, "consumer": _consumer}
elif ZHIFA_TASKS_URL.startswith("sqlite:///"):
    _tasks_file = Path(ZHIFA_TASKS_URL.removeprefix("sqlite://"))
    _tasks_file.parent.mkdir(parents=True, exist_ok=True)
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "zhifa", "filename": str(_tasks_file), "immediate": False, "consumer": _consumer}
elif ZHIFA_TASKS_URL == "immediate":
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "zhifa", "immediate": True}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"ZHIFA_TASKS_URL 无法识别：{ZHIFA_TASKS_URL!r}。应为 sqlite:///文件路径、redis://主机:端口/库号 或 immediate。"
    )
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        # A task enqueued inside a service's transaction is sent when it commits, and never if it rolls back.
        "ENQUEUE_ON_COMMIT": True,
    }
}

# Seconds a webhook receiver has to answer one delivery (zhifa/workflow/services.py).
ZHIFA_WEBHOOK_TIMEOUT = float(os.environ.get("ZHIFA_WEBHOOK_TIMEOUT", 10))
# 双随机: inspections of one subject by all agencies together per year (国办发〔2024〕54号), until an administrator
# sets the year's cap by local rule (/inspections/rules/).
ZHIFA_INSPECTION_YEARLY_CAP = int(os.environ.get("ZHIFA_INSPECTION_YEARLY_CAP", 2))
# 问题模型: more evidence looked at by one person in one day than this is a clue (supervision.detectors).
ZHIFA_SUPERVISION_ACCESS_PER_DAY = int(os.environ.get("ZHIFA_SUPERVISION_ACCESS_PER_DAY", 50))
DEFAULT_FROM_EMAIL = os.environ.get("ZHIFA_MAIL_FROM", "zhifa@localhost")
EMAIL_HOST = os.environ.get("ZHIFA_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ZHIFA_SMTP_PORT", 25))
EMAIL_HOST_USER = os.environ.get("ZHIFA_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ZHIFA_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ZHIFA_SMTP_STARTTLS", "") == "1"
EMAIL_TIMEOUT = 15

# Anonymous public pages kept in the `pages` cache (zhifa/core/pagecache.py); 0 turns it off.
ZHIFA_PUBLIC_CACHE_SECONDS = int(os.environ.get("ZHIFA_PUBLIC_CACHE_SECONDS", 600))
ZHIFA_PUBLIC_CACHE_PREFIXES = ["/gs/", "/api/v1/public/"]
ZHIFA_PUBLIC_CACHE_MAX_BYTES = 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.Person"
# django-axes first: it counts failed logins (pages, /admin/ and the API alike) and refuses a locked-out account.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend", "zhifa.org.backends.PersonBackend", "zhifa.org.sso.ProvincialOIDCBackend",
]
# Optional single sign-on with a provincial 统一身份认证 (OpenID Connect; zhifa/org/sso.py): on when a client id is
# set. Only existing, active people sign in this way, matched by username; the second factor still applies.
ZHIFA_OIDC_CLIENT_ID = os.environ.get("ZHIFA_OIDC_CLIENT_ID", "")
ZHIFA_OIDC_USERNAME_CLAIM = os.environ.get("ZHIFA_OIDC_USERNAME_CLAIM", "preferred_username")
ZHIFA_OIDC_LABEL = os.environ.get("ZHIFA_OIDC_LABEL", "统一身份认证登录")
ZHIFA_OIDC_ISSUER = os.environ.get("ZHIFA_OIDC_ISSUER", "")  # when set, the id token's iss must equal it
OIDC_RP_CLIENT_ID = ZHIFA_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = os.environ.get("ZHIFA_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("ZHIFA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("ZHIFA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("ZHIFA_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("ZHIFA_OIDC_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = os.environ.get("ZHIFA_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("ZHIFA_OIDC_SCOPES", "openid profile")
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
if ZHIFA_OIDC_CLIENT_ID:
    _missing = [name for name, value in (
        ("ZHIFA_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET), ("ZHIFA_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
        ("ZHIFA_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT), ("ZHIFA_OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
        ("ZHIFA_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT or ("" if OIDC_RP_SIGN_ALGO[:2] in ("RS", "ES") else "-")),
    ) if not value]
    if _missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"设置了 ZHIFA_OIDC_CLIENT_ID（统一身份认证），还须设置：{'、'.join(_missing)}。")

# Login failures (等保 2.0 level 3, docs/security.md): after ZHIFA_LOGIN_FAILURE_LIMIT wrong passwords in a row the
# account is locked for ZHIFA_LOGIN_LOCK_MINUTES, whatever address they come from; an administrator can unlock it
# earlier (`zhifa logins unlock 用户名`, the 登录安全 page or the API). Every success, failure and lockout is kept in the
# access logs for ZHIFA_LOGIN_LOG_DAYS (at least 180).
AXES_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("ZHIFA_LOGIN_LOCK_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# The lock lasts the time the message says, counted from the failure that set it; attempts during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 100_000
AXES_LOCKOUT_CALLABLE = "zhifa.core.security.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
ZHIFA_LOGIN_LOG_DAYS = max(180, int(os.environ.get("ZHIFA_LOGIN_LOG_DAYS", 180)))

# Sessions (docs/security.md): signed out after ZHIFA_SESSION_IDLE_MINUTES without a request, and after
# ZHIFA_SESSION_MAX_HOURS whatever happens; the cookie itself lasts no longer than that.
ZHIFA_SESSION_IDLE_MINUTES = int(os.environ.get("ZHIFA_SESSION_IDLE_MINUTES", 30))
ZHIFA_SESSION_MAX_HOURS = int(os.environ.get("ZHIFA_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_AGE = ZHIFA_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "zhifa.core.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保 2.0 level 3 (docs/security.md): three kinds of character, none of the last five passwords again.
    {"NAME": "zhifa.org.passwords.ComplexityValidator", "OPTIONS": {"classes": 3}},
    {"NAME": "zhifa.org.passwords.HistoryValidator", "OPTIONS": {"count": int(os.environ.get("ZHIFA_PASSWORD_HISTORY", 5))}},
]
# A password older than this many days must be changed at the next sign-in (0: never).
ZHIFA_PASSWORD_MAX_DAYS = int(os.environ.get("ZHIFA_PASSWORD_MAX_DAYS", 90))
# The second factor (TOTP) is required of these roles (comma-separated role codes; empty: of nobody, e.g. a
# demo). Anyone else may enrol. 等保 2.0 level 3 asks for two factors for those who decide and administer.
ZHIFA_TWO_FACTOR_ROLES = tuple(
    r.strip() for r in os.environ.get("ZHIFA_TWO_FACTOR_ROLES", "head,reviewer,supervisor,admin").split(",") if r.strip()
)
OTP_TOTP_ISSUER = os.environ.get("ZHIFA_TOTP_ISSUER", "行政执法平台")
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait: 1, 2, 4 … seconds
# SM4 keys for personal numbers at rest (zhifa/core/fieldcrypto.py): "id:32 hex digits", comma-separated, the
# first one encrypting. Empty outside production: one key derived from the secret key.
ZHIFA_FIELD_KEYS = os.environ.get("ZHIFA_FIELD_KEYS", "")
# API tokens: how long a new one lasts unless asked otherwise, and the longest it may be issued for.
ZHIFA_API_TOKEN_DAYS = int(os.environ.get("ZHIFA_API_TOKEN_DAYS", 90))
ZHIFA_API_TOKEN_MAX_DAYS = int(os.environ.get("ZHIFA_API_TOKEN_MAX_DAYS", 365))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "zhifa" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Evidence files, stored by content hash and never overwritten. Local files unless S3 is configured.
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "evidence"), "file_permissions_mode": 0o440},
    },
}
STORAGES["documents"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(VAR_DIR / "documents" / "pdf"), "file_permissions_mode": 0o440},
}
if os.environ.get("ZHIFA_S3_BUCKET"):
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ZHIFA_S3_BUCKET"],
            "endpoint_url": os.environ.get("ZHIFA_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("ZHIFA_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("ZHIFA_S3_SECRET_KEY"),
            "region_name": os.environ.get("ZHIFA_S3_REGION", "us-east-1"),
            "addressing_style": os.environ.get("ZHIFA_S3_ADDRESSING_STYLE", "path"),
            "location": os.environ.get("ZHIFA_S3_PREFIX", "evidence"),
            "file_overwrite": True,  # keys are content hashes: the same key always holds the same bytes
            "default_acl": None,
            "querystring_auth": True,
        },
    }
    STORAGES["documents"] = {
        "BACKEND": STORAGES["evidence"]["BACKEND"],
        "OPTIONS": {**STORAGES["evidence"]["OPTIONS"], "location": os.environ.get("ZHIFA_S3_DOCUMENTS_PREFIX", "documents")},
    }
# Uploads above this size go to a temporary file while they are hashed; evidence is never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = os.environ.get("ZHIFA_UPLOAD_TEMP_DIR") or None
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a missing or bad token is answered 401 with WWW-Authenticate: Token.
        "zhifa.org.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "zhifa.core.pagination.SafeLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "zhifa.core.api.exception_handler",
    # Rates per person (or token) and per address for anonymous callers (zhifa/core/ratelimit.py); set in
    # ZHIFA_API_RATE_USER / ZHIFA_API_RATE_ANON, e.g. "1200/min"; empty turns a limit off.
    "DEFAULT_THROTTLE_CLASSES": ["zhifa.core.ratelimit.UserThrottle", "zhifa.core.ratelimit.AnonThrottle"],
}
ZHIFA_API_RATE_USER = os.environ.get("ZHIFA_API_RATE_USER", "1200/min")
ZHIFA_API_RATE_ANON = os.environ.get("ZHIFA_API_RATE_ANON", "300/min")
for _name, _rate in (("ZHIFA_API_RATE_USER", ZHIFA_API_RATE_USER), ("ZHIFA_API_RATE_ANON", ZHIFA_API_RATE_ANON)):
    if _rate and not re.fullmatch(r"[1-9][0-9]{0,8}/(s|sec|second|m|min|minute|h|hour|d|day)", _rate):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{_name} 应形如 1200/min（次数/s、min、hour 或 day），或留空表示不限速。")
# Trusted reverse proxies in front of zhifa (nginx: 1): the caller's address is then taken from X-Forwarded-For.
ZHIFA_NUM_PROXIES = int(os.environ.get("ZHIFA_NUM_PROXIES", 0))
# Failed sign-ins from one address within the window before that address is refused for the rest of it.
ZHIFA_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("ZHIFA_LOGIN_FAILURES_PER_ADDRESS", 30))
ZHIFA_LOGIN_ADDRESS_WINDOW_MINUTES = int(os.environ.get("ZHIFA_LOGIN_ADDRESS_WINDOW_MINUTES", 10))

SPECTACULAR_SETTINGS = {
    "TITLE": "执法平台 API",
    "DESCRIPTION": "zhifa 行政执法三项制度与执法监督平台的 REST API。所有写操作经由服务层，所有读操作按执法主体范围过滤。",
    "VERSION": "1.1.0",  # 1.1: one function-view style, filters shared with the pages, public open data
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "NotificationCategoryEnum": "zhifa.workflow.models.Category",
        "DeliveryStatusEnum": "zhifa.workflow.models.Delivery.Status",
        "SignatureAlgorithmEnum": "zhifa.workflow.models.Algorithm",
        "AgencyKindEnum": "zhifa.org.models.AgencyKind",
        "CredentialKindEnum": "zhifa.org.models.CredentialKind",
        "EvidenceKindEnum": "zhifa.evidence.models.EvidenceKind",
        "CaseStatusEnum": "zhifa.cases.models.CaseStatus",
        "CredentialStatusEnum": "zhifa.org.models.CredentialStatus",
        "ProposedOutcomeEnum": "zhifa.cases.models.ProposedOutcome",
        "DocumentStatusEnum": "zhifa.documents.models.DocumentStatus",
        "SignatureOutcomeEnum": "zhifa.documents.models.SignatureOutcome",
        "ReviewStatusEnum": "zhifa.review.models.ReviewStatus",
        "PublicationStatusEnum": "zhifa.publicity.models.PublicationStatus",
        "ReviewOutcomeEnum": ["passed", "corrected", "transferred"],
        "PartyKindEnum": "zhifa.cases.models.PartyKind",
        "PauseKindEnum": "zhifa.cases.models.PauseKind",
        "ArrangementKindEnum": "zhifa.cases.models.PaymentArrangement.Kind",
        "WithdrawalTriggerEnum": "zhifa.publicity.models.WithdrawalTrigger",
        "RiskClassEnum": "zhifa.inspections.models.RiskClass",
        "PlanStatusEnum": "zhifa.inspections.models.PlanStatus",
        "InspectionTaskStatusEnum": "zhifa.inspections.models.TaskStatus",
        "InspectionOutcomeEnum": "zhifa.inspections.models.Outcome",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Reviewers should number at least 5 % of an agency's enforcement officers (DOMAIN.md R3.6).
ZHIFA_REVIEWER_RATIO = 0.05
# Public address printed in credential QR codes, e.g. https://zhifa.example.gov.cn (blank: the request's host).
ZHIFA_PUBLIC_BASE_URL = os.environ.get("ZHIFA_PUBLIC_BASE_URL", "")
# Credentials expiring within this many days are flagged on home pages.
ZHIFA_CREDENTIAL_EXPIRY_WARNING_DAYS = 60
# The SM2 private key that signs ledger tree heads; created on first use. Keep a copy off the server.
# Keep it outside ZHIFA_VAR_DIR (and the database's backups) in production, and encrypted with a passphrase
# given in ZHIFA_LEDGER_KEY_PASSPHRASE (README: 账本签名密钥).
ZHIFA_LEDGER_KEY_FILE = os.environ.get("ZHIFA_LEDGER_KEY_FILE", str(VAR_DIR / "ledger" / "sm2-signing-key.pem"))
ZHIFA_LEDGER_KEY_PASSPHRASE = os.environ.get("ZHIFA_LEDGER_KEY_PASSPHRASE", "")
# Tree heads are signed periodically, as transparency logs checkpoint: at most this long after an append
# (0: after every committed transaction), or at once when this many events are waiting.
ZHIFA_LEDGER_SIGN_INTERVAL_MS = int(os.environ.get("ZHIFA_LEDGER_SIGN_INTERVAL_MS", 1000))
ZHIFA_LEDGER_SIGN_BATCH = int(os.environ.get("ZHIFA_LEDGER_SIGN_BATCH", 1000))
# `zhifa ledger verify` fails for any event not covered by a signed tree head within this many seconds,
# and (when witnesses are pinned) not covered by a witnessed head within ZHIFA_LEDGER_MAX_UNWITNESSED_SECONDS.
ZHIFA_LEDGER_MAX_UNSIGNED_SECONDS = int(os.environ.get("ZHIFA_LEDGER_MAX_UNSIGNED_SECONDS", 60))
ZHIFA_LEDGER_MAX_UNWITNESSED_SECONDS = int(os.environ.get("ZHIFA_LEDGER_MAX_UNWITNESSED_SECONDS", 3600))
# The signer asks the witnesses to countersign its latest head at most this often (each cosignature covers
# everything before it, so one a minute keeps the table small and well inside the bound above).
ZHIFA_LEDGER_WITNESS_INTERVAL_SECONDS = int(os.environ.get("ZHIFA_LEDGER_WITNESS_INTERVAL_SECONDS", 60))
# The log's name in witnessed checkpoints (C2SP tlog-checkpoint "origin"): unique per installation.
ZHIFA_LEDGER_ORIGIN = os.environ.get("ZHIFA_LEDGER_ORIGIN", "zhifa.local/ledger")
# Public keys pinned outside the database: files of SM2 public keys (PEM), separated by ":".
# Log keys that verify trusts (besides the keys they introduce by signed key changes), and witness keys.
ZHIFA_LEDGER_TRUSTED_KEYS = [p for p in os.environ.get("ZHIFA_LEDGER_TRUSTED_KEYS", "").split(":") if p]
ZHIFA_LEDGER_WITNESS_KEYS = [p for p in os.environ.get("ZHIFA_LEDGER_WITNESS_KEYS", "").split(":") if p]
# 较大数额 for the right to a hearing (行政处罚法第六十三条) is set per province or sector; these are
# the defaults (yuan) by party type, at or above which the party must be told of the right.
ZHIFA_HEARING_THRESHOLDS = {"citizen": 5000, "organisation": 100000}
# Legal review time limit in working days (DOMAIN.md R3.3: 5 in principle; market regulation uses 10).
ZHIFA_REVIEW_WORKDAYS = int(os.environ.get("ZHIFA_REVIEW_WORKDAYS", 5))
# Each agency's document-seal key and certificate (PAdES), created on first use. Keep a copy off the server.
ZHIFA_DOCUMENT_KEY_DIR = os.environ.get("ZHIFA_DOCUMENT_KEY_DIR", str(VAR_DIR / "documents" / "keys"))
# Largest evidence file accepted (bytes); default 20 GiB.
ZHIFA_EVIDENCE_MAX_BYTES = int(os.environ.get("ZHIFA_EVIDENCE_MAX_BYTES", 20 * 1024**3))

# Security headers on every answer; in production, HTTPS only (docs/security.md).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and everything else only from zhifa itself, no inline script
# or style attribute anywhere; the pages are built to it and a browser test loads them watching for violations.
# The API explorer (/api/docs/, /api/redoc/, drf-spectacular's own pages) is exempt: its pages start with inline script.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks to lock by address too. zhifa locks the account (等保: 登录失败处理), whatever the address;
    # a lock by address would shut out a whole office behind one NAT after a few typing mistakes.
    "axes.W006",
]
if PRODUCTION:
    from django.core.exceptions import ImproperlyConfigured

    if len(SECRET_KEY) < 50 or SECRET_KEY == DEMO_SECRET_KEY or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("生产环境（ZHIFA_PRODUCTION=1）必须用 ZHIFA_SECRET_KEY 设置至少 50 个字符的随机密钥，不能使用演示密钥。")
    if not ALLOWED_HOSTS or ALLOWED_HOSTS == [""]:
        raise ImproperlyConfigured("生产环境必须用 ZHIFA_ALLOWED_HOSTS 列出本系统的域名（以逗号分隔）。")
    if "ZHIFA_LEDGER_KEY_FILE" not in os.environ or not ZHIFA_LEDGER_KEY_PASSPHRASE:
        raise ImproperlyConfigured(
            "生产环境必须用 ZHIFA_LEDGER_KEY_FILE 指定账本签名密钥文件，并用 ZHIFA_LEDGER_KEY_PASSPHRASE 给出其口令"
            "（README：账本签名密钥）；不能使用自动生成的未加密密钥。"
        )
    if not ZHIFA_FIELD_KEYS.strip():
        raise ImproperlyConfigured(
            "生产环境必须用 ZHIFA_FIELD_KEYS 给出加密身份证号、电话号码的 SM4 密钥（如 1:后接 32 位十六进制数；"
            "可用 zhifa fieldkeys generate 生成）。"
        )
    from zhifa.core.fieldcrypto import _parse  # a malformed key stops the start, not the first page

    _parse(ZHIFA_FIELD_KEYS, SECRET_KEY)
    if not ZHIFA_TWO_FACTOR_ROLES:
        raise ImproperlyConfigured("生产环境必须对机关负责人、法制审核、监督和管理人员启用两步验证（ZHIFA_TWO_FACTOR_ROLES 不能为空）。")
    SECURE_SSL_REDIRECT = os.environ.get("ZHIFA_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("ZHIFA_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("ZHIFA_HSTS_PRELOAD", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a reverse proxy that ends TLS (nginx), it tells zhifa the request came over HTTPS.
    if os.environ.get("ZHIFA_BEHIND_TLS_PROXY", "1") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
