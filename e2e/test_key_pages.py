"""Browser tests in Debian chromium: the pages a person actually uses."""

import re

import pytest
from playwright.sync_api import expect

from zhifa.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_officer_logs_in_and_sees_home(world, live_server, page):
    login(page, live_server, "officer_a")
    expect(page.get_by_role("heading", name="您好，张伟")).to_be_visible()
    expect(page.locator("#panel-officer")).to_contain_text("33040011001")
    expect(page.locator("#panel-officer")).to_contain_text("有效")
    page.get_by_role("link", name="执法证件", exact=True).click()
    expect(page).to_have_url(re.compile(r"/org/credentials/$"))
    expect(page.locator("table")).not_to_contain_text("33050011001")


def test_wrong_password_shows_chinese_error(world, live_server, page):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".errorlist")).to_contain_text("用户名或密码错误")


def test_deadline_calculator_updates_in_place(world, live_server, page):
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/calendar/deadline/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label("起算日").fill("2026-02-12")
    page.locator("#id_amount").fill("7")
    page.get_by_label("单位").select_option("WD")
    page.get_by_role("button", name="计算").click()
    expect(page.locator("#result")).to_contain_text("2026年2月28日")
    expect(page).to_have_url(re.compile(r"/calendar/deadline/$"))  # htmx swapped the result in place


def test_public_officer_page_from_qr(world, live_server, page):
    page.goto(f"{live_server.url}/gs/officers/{world.officer_a.public_token}/")
    expect(page.locator("#verdict")).to_contain_text("该人员持有有效执法证件")
    expect(page.locator("#officer-name")).to_have_text("张伟")
    expect(page.locator("body")).not_to_contain_text("13800000001")


def test_admin_agency_form_rejects_bad_code(world, live_server, page):
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/org/agencies/new/")
    page.get_by_label("名称").fill("嘉兴市生态环境局")
    page.get_by_label("统一社会信用代码").fill("123456")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("统一社会信用代码应为18位")
    page.screenshot(path="test-results/agency-form-error.png", full_page=True)
