"""Before anything else, a session must pass the second factor it owes, then change a password past
ZHIFA_PASSWORD_MAX_DAYS (docs/security.md). Both are decided at sign-in and kept in the session."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import passwords, twofactor

EXPIRED = "zhifa_password_expired"
MESSAGE = "密码已超过规定期限未修改，请先修改密码。"
TWO_FACTOR_MESSAGE = "请先完成两步验证。"


@receiver(user_logged_in)
def _decide_at_sign_in(sender, request, user, **kwargs):
    """What the new session owes: the second factor (by role or enrolment) and a password change (by age)."""
    if request is not None and hasattr(request, "session"):
        request.session[twofactor.SESSION_KEY] = twofactor.owed_at_sign_in(user)
        if passwords.expired(user):
            request.session[EXPIRED] = True


def keep_signed_in(request, person) -> None:
    """After a person changed their own password: their session stays valid (Django would otherwise end it) and
    no longer asks for a change. A request without a session (an API token) has nothing to keep."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return
    update_session_auth_hash(request, person)
    session.pop(EXPIRED, None)


class PasswordExpiryMiddleware:
    """Decided once at sign-in and kept in the session: no query per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(EXPIRED):
            allowed = (reverse("password-change"), reverse("logout"), reverse("login"), "/static/")
            if not request.path.startswith(allowed) and request.path != reverse("api-password"):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": MESSAGE}, status=403)
                messages.warning(request, MESSAGE)
                return redirect("password-change")
        return self.get_response(request)


class TwoFactorMiddleware:
    """A session that owes the second factor reaches only the verify and enrolment pages (and sign-out). A session
    from before the second factor existed is asked once, then remembers the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            owed = session.get(twofactor.SESSION_KEY)
            if owed is None:
                owed = session[twofactor.SESSION_KEY] = twofactor.owed_at_sign_in(request.user)
            if owed == twofactor.PENDING and not request.path.startswith(
                (reverse("two-factor-verify"), reverse("two-factor-setup"), reverse("logout"), reverse("login"), "/static/")
            ):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": TWO_FACTOR_MESSAGE}, status=403)
                target = "two-factor-verify" if twofactor.enrolled(request.user) else "two-factor-setup"
                return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}" if request.method == "GET" else reverse(target))
        return self.get_response(request)
