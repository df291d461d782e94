"""A password past ZHIFA_PASSWORD_MAX_DAYS must be changed before anything else (docs/security.md)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import passwords

EXPIRED = "zhifa_password_expired"
MESSAGE = "密码已超过规定期限未修改，请先修改密码。"


@receiver(user_logged_in)
def _check_expiry(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and passwords.expired(user):
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
