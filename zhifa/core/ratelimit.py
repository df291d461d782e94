"""Rate limits (等保 2.0 level 3: 登录失败处理, 资源控制; docs/security.md).

- The REST API: DRF throttles per signed-in person or token (ZHIFA_API_RATE_USER) and per address for anonymous
  callers (ZHIFA_API_RATE_ANON). Answered 429 in Chinese with Retry-After.
- Sign-in: besides the per-account lock (django-axes), an address that fails ZHIFA_LOGIN_FAILURES_PER_ADDRESS times
  in ZHIFA_LOGIN_ADDRESS_WINDOW_MINUTES is refused further attempts for the rest of the window: one machine trying
  one password against many accounts (password spraying) is stopped. Successful sign-ins do not count, so an office
  behind one NAT signing in at nine o'clock is not.
- Changing a password: five wrong old passwords in half an hour stop further tries (a borrowed session cannot be used
  to guess the password).

Counters live in the default cache: shared by all workers when ZHIFA_CACHE_URL is set, per process otherwise.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from rest_framework.throttling import BaseThrottle

from .security import refused_sign_in


def client_address(request) -> str:
    """The caller's address: REMOTE_ADDR, or with ZHIFA_NUM_PROXIES trusted proxies in front, the address the
    nearest of them saw (X-Forwarded-For is otherwise set by the caller and not trusted)."""
    proxies = settings.ZHIFA_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


class _Window:
    """A counter per key over a fixed window, in the cache."""

    def __init__(self, name: str, limit: int, seconds: int):
        # A limit or window of 0 (or less) turns the counter off.
        self.name, self.limit, self.seconds = name, limit, seconds
        self.off = limit <= 0 or seconds <= 0

    def _key(self, who: str) -> str:
        return f"zhifa-rate:{self.name}:{int(time.time()) // self.seconds}:{who}"

    def count(self, who: str) -> int:
        return 0 if self.off else cache.get(self._key(who), 0)

    def hit(self, who: str) -> int:
        if self.off:
            return 0
        key = self._key(who)
        if cache.add(key, 1, self.seconds + 5):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, self.seconds + 5)
            return 1

    def exceeded(self, who: str) -> bool:
        return not self.off and self.count(who) >= self.limit

    def retry_after(self) -> int:
        if self.off:
            return 0
        return self.seconds - int(time.time()) % self.seconds


def login_failures() -> _Window:
    return _Window("login-address", settings.ZHIFA_LOGIN_FAILURES_PER_ADDRESS, settings.ZHIFA_LOGIN_ADDRESS_WINDOW_MINUTES * 60)


def password_attempts() -> _Window:
    return _Window("old-password", 5, 30 * 60)


@receiver(user_login_failed)
def _count_failure_by_address(sender, credentials, request=None, **kwargs):
    if request is not None:
        login_failures().hit(client_address(request))


class LoginAddressLimitMiddleware:
    """Refuses sign-in attempts (the staff and /admin/ login forms) from an address with too many recent failures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in _login_paths():
            window = login_failures()
            if window.exceeded(client_address(request)):
                minutes = max(1, window.retry_after() // 60)
                response = refused_sign_in(request, f"本机登录失败次数过多，请约 {minutes} 分钟后再试。")
                response["Retry-After"] = str(window.retry_after())
                return response
        return self.get_response(request)


def _login_paths() -> tuple:
    from django.urls import reverse

    return (reverse("login"), reverse("admin:login"))


class _FixedWindowThrottle(BaseThrottle):
    """DRF's SimpleRateThrottle keeps every request's time in the cache and rewrites that list on each request (1,200
    entries at the default rate); a counter per fixed window costs one cache increment. A caller may get up to twice
    the rate across a window boundary, which is enough for a limit meant to stop abuse, not to meter."""

    scope = ""

    def rate(self) -> str:
        raise NotImplementedError

    def who(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        rate = self.rate()
        who = self.who(request)
        if not rate or who is None:
            return True
        count, _, unit = rate.partition("/")
        seconds = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}[unit]
        self.window = _Window(f"api-{self.scope}", int(count), seconds)
        return self.window.hit(who) <= self.window.limit

    def wait(self):
        return self.window.retry_after()


class UserThrottle(_FixedWindowThrottle):
    scope = "user"

    def rate(self):
        return settings.ZHIFA_API_RATE_USER

    def who(self, request):
        return str(request.user.pk) if request.user and request.user.is_authenticated else None


class AnonThrottle(_FixedWindowThrottle):
    scope = "anon"

    def rate(self):
        return settings.ZHIFA_API_RATE_ANON

    def who(self, request):
        return None if request.user and request.user.is_authenticated else client_address(request)
