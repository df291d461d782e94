"""Optional single sign-on with a provincial 统一身份认证 over OpenID Connect (mozilla-django-oidc), off unless
ZHIFA_OIDC_CLIENT_ID is set (docs/security.md).

The provider vouches for who the person is; zhifa still decides what they may do. Only an existing, active person
whose username equals the provider's ZHIFA_OIDC_USERNAME_CLAIM can sign in this way: accounts, agencies and roles
are made by administrators, never from a provider's claims. The second factor still applies by role, and the
sign-in is logged like any other.
"""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .backends import PersonBackend
from .models import Person

log = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(settings.ZHIFA_OIDC_CLIENT_ID)


class ProvincialOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds every backend for every password sign-in too: the provider's settings are read only when
        # the provider's callback is being answered, so that they can never stand in the way of a password.
        pass

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or request.resolver_match is None or request.resolver_match.url_name != "sso-callback":
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as exc:  # provider down, bad token
            log.warning("统一身份认证登录失败：%s", exc)
            return None

    def verify_token(self, token, **kwargs):
        """mozilla-django-oidc checks the signature and the nonce; the audience (this client) and, when configured,
        the issuer are checked here, so that a token the provider issued to another system is not accepted."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.ZHIFA_OIDC_CLIENT_ID not in audiences:
            raise SuspiciousOperation("身份令牌不是签发给本系统的（aud 不符）。")
        if settings.ZHIFA_OIDC_ISSUER and payload.get("iss") != settings.ZHIFA_OIDC_ISSUER:
            raise SuspiciousOperation("身份令牌的签发方（iss）不符。")
        return payload

    def _username(self, claims) -> str:
        value = claims.get(settings.ZHIFA_OIDC_USERNAME_CLAIM)
        return value.strip() if isinstance(value, str) else ""

    def verify_claims(self, claims):
        return bool(self._username(claims))

    def filter_users_by_claims(self, claims):
        return Person.objects.filter(username=self._username(claims), is_active=True)

    def describe_user_by_claims(self, claims):
        return f"username {self._username(claims)!r}"

    def create_user(self, claims):  # never: accounts are made by administrators
        return None

    def get_user(self, user_id):
        return PersonBackend().get_user(user_id)


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("未启用统一身份认证。")
        return super().dispatch(request, *args, **kwargs)


class SignIn(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    pass


class Callback(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    def login_failure(self):
        messages.error(self.request, "统一身份认证登录未成功：该账号在本平台不存在、已停用，或认证已过期。请重试或使用本平台账号登录。")
        return redirect("login")
