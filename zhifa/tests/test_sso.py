"""Optional single sign-on with a provincial 统一身份认证 (OpenID Connect, docs/security.md), against a provider
running on loopback: RS256-signed id tokens from a JWKS, PKCE checked by the provider. Only existing active people
sign in; tokens for another system or without the session's nonce are refused; a provider that is down gives a
message, not an error; the second factor still applies; off unless configured."""

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from axes.models import AccessLog
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from zhifa.org import twofactor
from zhifa.org.tests.factories import PASSWORD


class Provider:
    """A minimal OpenID provider: /token (code + PKCE), /userinfo, /jwks."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.down = False
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._send(200, {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    grant = next((g for g in provider.codes.values() if g.get("access_token") == token), None)
                    return self._send(200, grant["userinfo"]) if grant else self._send(401, {"error": "invalid_token"})
                self._send(404, {})

            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                if provider.down:
                    return self._send(500, {"error": "server_error"})
                grant = provider.codes.get(form["code"][0])
                verifier = form.get("code_verifier", [""])[0]
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if grant is None or challenge != grant["challenge"] or form["client_id"][0] != "zhifa":
                    return self._send(400, {"error": "invalid_grant"})
                claims = {"iss": "https://sso.example.gov.cn", "sub": grant["sub"], "aud": grant.get("aud", "zhifa"),
                          "nonce": grant["nonce"], "iat": int(time.time()), "exp": int(time.time()) + 300}
                id_token = jwt.encode(claims, provider.key, algorithm="RS256", headers={"kid": "k1"})
                grant["access_token"] = f"at-{form['code'][0]}"
                self._send(200, {"id_token": id_token, "access_token": grant["access_token"], "token_type": "Bearer"})

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorize(self, location: str, username: str, **extra) -> str:
        """What the provider's login page does: the person signs in there; returns the code for the callback."""
        query = parse_qs(urlparse(location).query)
        code = f"code-{len(self.codes)}"
        self.codes[code] = {"nonce": query["nonce"][0], "challenge": query["code_challenge"][0], "sub": f"sub-{username}",
                            "userinfo": {"sub": f"sub-{username}", "preferred_username": username}, **extra}
        return code, query["state"][0]


@pytest.fixture
def provider(settings):
    idp = Provider()
    settings.ZHIFA_OIDC_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = "zhifa"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example.gov.cn/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{idp.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{idp.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{idp.url}/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.ZHIFA_OIDC_ISSUER = "https://sso.example.gov.cn"
    yield idp
    idp.server.shutdown()


def through_sso(client, provider, username, next_url="/cases/", **extra):
    start = client.get(f"/org/sso/login/?next={next_url}")
    assert start.status_code == 302 and start["Location"].startswith("https://sso.example.gov.cn/authorize?")
    assert "code_challenge_method=S256" in start["Location"]
    code, state = provider.authorize(start["Location"], username, **extra)
    return client.get(f"/org/sso/callback/?code={code}&state={state}")


def test_an_existing_officer_signs_in_through_the_provincial_provider(world, provider):
    client = Client()
    assert "统一身份认证登录" in client.get("/login/").content.decode()
    done = through_sso(client, provider, "officer_a")
    assert done.status_code == 302 and done["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert client.session["_auth_user_backend"] == "zhifa.org.sso.ProvincialOIDCBackend"
    assert AccessLog.objects.filter(username="officer_a").exists()  # logged like any sign-in


@pytest.mark.parametrize("who", ["nobody", "inactive"])
def test_only_existing_active_people_sign_in(world, provider, who):
    if who == "inactive":
        world.officer_county.is_active = False
        world.officer_county.save(update_fields=["is_active"])
    client = Client()
    done = through_sso(client, provider, "officer_county" if who == "inactive" else "nobody")
    assert done.status_code == 302 and done["Location"] == "/login/"
    assert "统一身份认证登录未成功" in client.get("/login/").content.decode()
    assert client.get("/cases/").status_code == 302


def test_a_token_for_another_system_or_a_replayed_state_is_refused(world, provider):
    client = Client()
    assert through_sso(client, provider, "officer_a", aud="other-system")["Location"] == "/login/"
    assert client.get("/cases/").status_code == 302
    start = client.get("/org/sso/login/")
    code, state = provider.authorize(start["Location"], "officer_a")
    provider.codes[code]["nonce"] = "a-nonce-from-another-session"
    assert client.get(f"/org/sso/callback/?code={code}&state={state}")["Location"] == "/login/"
    assert client.get(f"/org/sso/callback/?code={code}&state=made-up").status_code in (302, 400)
    assert client.get("/cases/").status_code == 302


def test_a_provider_that_is_down_gives_a_message_not_an_error(world, provider):
    provider.down = True
    client = Client()
    done = through_sso(client, provider, "officer_a")
    assert done.status_code == 302 and done["Location"] == "/login/"


@pytest.mark.two_factor
def test_the_second_factor_still_applies(world, provider):
    client = Client()
    through_sso(client, provider, "head_a")
    assert client.session[twofactor.SESSION_KEY] == twofactor.PENDING
    assert client.get("/cases/")["Location"].startswith("/org/two-factor/setup/")


def test_off_unless_configured(world, settings):
    settings.ZHIFA_OIDC_CLIENT_ID = ""
    client = Client()
    assert "统一身份认证" not in client.get("/login/").content.decode()
    assert client.get("/org/sso/login/").status_code == 404
    assert client.get("/org/sso/callback/?code=x&state=y").status_code == 404


def test_a_half_configured_provider_never_stands_in_the_way_of_a_password(world, settings):
    settings.ZHIFA_OIDC_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = "zhifa"
    settings.OIDC_OP_JWKS_ENDPOINT = None  # RS256 without keys: mozilla-django-oidc refuses to be built
    client = Client()
    assert client.post("/login/", {"username": "officer_a", "password": PASSWORD}).status_code == 302
    assert client.get("/cases/").status_code == 200


def test_the_start_names_what_a_provider_still_needs():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "ZHIFA_OIDC_CLIENT_ID": "zhifa",
           "ZHIFA_OIDC_TOKEN_ENDPOINT": "https://sso.example.gov.cn/token"}
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parents[2], env=env,
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert "ZHIFA_OIDC_AUTHORIZATION_ENDPOINT" in done.stderr and "ZHIFA_OIDC_JWKS_ENDPOINT" in done.stderr
    assert "ZHIFA_OIDC_TOKEN_ENDPOINT" not in done.stderr.split("还须设置")[-1]
