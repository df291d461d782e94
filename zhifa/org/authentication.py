"""API tokens for the REST API (`Authorization: Token <令牌>`): looked up by their SM3 hash, refused when expired,
revoked or their person is inactive. The token itself is stored nowhere (docs/security.md)."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import TOKEN_PREFIX, token_fingerprint

LAST_USED_EVERY = dt.timedelta(minutes=1)  # "最近使用" is written at most once a minute per token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in (k.encode() for k in self.keywords):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确：请求头应为 Authorization: Token <令牌>。")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确。") from None
        if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
            raise exceptions.AuthenticationFailed("令牌无效。")
        token = ApiToken.objects.select_related("person", "person__agency").filter(digest=token_fingerprint(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效。")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("令牌已被吊销。")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("令牌已过期，请重新签发。")
        person = token.person
        if not person.is_active:
            raise exceptions.AuthenticationFailed("该人员已停用。")
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return person, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (the same header DRF's TokenAuthentication used)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "Token <令牌>：在“账号安全”页面、POST /api/v1/me/tokens/ 或 zhifa token issue 签发，到期自动失效。",
        }
