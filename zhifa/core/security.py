"""Login and session rules of 等保 2.0 level 3 (docs/security.md): the answer to a locked-out login, and sessions
that end after a period without requests and after a fixed lifetime."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

SIGNED_IN_AT = "zhifa_signed_in_at"
SEEN_AT = "zhifa_seen_at"
# The last-seen time is written back at most this often: a session write per request would cost every page.
SEEN_RESOLUTION = 60


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or request.headers.get("HX-Request") == "true" or "json" in request.headers.get("Accept", "")


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (f"该账号连续 {settings.AXES_FAILURE_LIMIT} 次密码错误，已被锁定 {minutes} 分钟。"
            "如需提前解锁，请联系系统管理员。")


def refused_sign_in(request, message: str):
    """A sign-in refused before the password is looked at (a locked account, an address with too many failures):
    429 with the reason in Chinese, as JSON to a program and as a page to a person."""
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "core/locked.html", {"message": message}, status=429)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out account: 429, in Chinese, without saying whether the password was right."""
    return refused_sign_in(request, lockout_message())


@receiver(user_logged_in)
def _stamp_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Signs a person out after ZHIFA_SESSION_IDLE_MINUTES without a request, and ZHIFA_SESSION_MAX_HOURS after
    signing in whatever they do. API calls with a token have no session and are not concerned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            signed_in = session.get(SIGNED_IN_AT) or now
            seen = session.get(SEEN_AT) or now
            idle = now - seen > settings.ZHIFA_SESSION_IDLE_MINUTES * 60
            expired = now - signed_in > settings.ZHIFA_SESSION_MAX_HOURS * 3600
            if idle or expired:
                return self._signed_out(request, "长时间未操作，已自动退出，请重新登录。" if idle else
                                        f"登录已满 {settings.ZHIFA_SESSION_MAX_HOURS} 小时，请重新登录。")
            if SIGNED_IN_AT not in session:
                session[SIGNED_IN_AT] = signed_in
            if now - seen >= SEEN_RESOLUTION or SEEN_AT not in session:
                session[SEEN_AT] = now
        return self.get_response(request)

    def _signed_out(self, request, message: str):
        logout(request)
        if _wants_json(request):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        target = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
