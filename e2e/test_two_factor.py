"""Browser journey, on a phone-sized screen: an agency head signs in for the first time, binds an authenticator app
by the secret the page shows, writes down the recovery codes, reaches the case list; at the next sign-in gives a
code; issues an API token on 账号安全 and sees it once."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from zhifa.org.tests.factories import PASSWORD

from .test_csp import WATCH

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.two_factor]


def code_from(secret_text: str, steps_ahead: int = 0) -> str:
    key = base64.b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def sign_in(page, base):
    page.goto(f"{base}/cases/")
    page.get_by_label("用户名").fill("head_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_head_binds_an_authenticator_and_signs_in_with_it(world, live_server, browser):
    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    phone.add_init_script(WATCH)
    console = []
    phone.on("console", lambda m: console.append(m.text))
    sign_in(phone, live_server.url)
    expect(phone.get_by_role("heading", name="绑定手机验证器")).to_be_visible()
    assert phone.evaluate("window.__csp") == [] and not [m for m in console if "Content Security Policy" in m]
    expect(phone.get_by_role("img", name="绑定验证器的二维码")).to_be_visible()
    no_sideways_scroll(phone)
    secret = phone.locator("code.secret").inner_text()
    phone.get_by_label("验证码").fill("000000" if code_from(secret) != "000000" else "111111")
    phone.get_by_role("button", name="完成绑定").click()
    expect(phone.locator(".errorlist")).to_contain_text("验证码不正确")
    phone.wait_for_timeout(1100)  # a wrong code asks for a second's wait before the next
    phone.get_by_label("验证码").fill(code_from(secret))
    phone.get_by_role("button", name="完成绑定").click()
    expect(phone.get_by_role("heading", name="两步验证已启用")).to_be_visible()
    codes = phone.locator("ul.codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes)
    no_sideways_scroll(phone)
    phone.get_by_role("link", name="我已保存，继续").click()
    expect(phone).to_have_url(re.compile(r"/cases/$"))
    phone.get_by_role("button", name="退出").click()

    sign_in(phone, live_server.url)
    expect(phone.get_by_role("heading", name="两步验证")).to_be_visible()
    phone.get_by_label("验证码").fill(code_from(secret, steps_ahead=1))
    phone.get_by_role("button", name="验证").click()
    expect(phone).to_have_url(re.compile(r"/cases/$"))

    phone.get_by_role("link", name="账号安全").click()
    expect(phone.locator("body")).to_contain_text("已启用：登录时须输入手机验证器上的验证码。剩余恢复码 10 个")
    phone.get_by_label("用途").fill("市级平台对接")
    phone.get_by_role("button", name="签发").click()
    key = phone.locator(".notice code.secret").inner_text()
    assert key.startswith("zf_")
    no_sideways_scroll(phone)
    phone.goto(f"{live_server.url}/org/account/")
    expect(phone.locator("body")).not_to_contain_text(key)
    expect(phone.locator("table")).to_contain_text("市级平台对接")
    assert phone.evaluate("window.__csp") == [] and not [m for m in console if "Content Security Policy" in m]
    phone.close()
