"""Browser test: a city supervisor finds an overdue county case among the clues, sends it to the county agency's
head, the head answers from 待办 on a phone, and the supervisor closes it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from zhifa.cases.tests.factories import case_in
from zhifa.core.roles import Role
from zhifa.org.tests import factories as f
from zhifa.supervision import services

from .test_key_pages import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_assigns_head_answers_supervisor_closes(world, live_server, page, browser):
    county_head = f.person(world.county_a, Role.HEAD, username="head_county", full_name="钱峰")
    case = case_in(world, world.county_a)
    due = case.deadlines.get(code="decision").due_date
    services.run_models(["deadline_overdue"], today=due + datetime.timedelta(days=1))

    login(page, live_server, "sup_city")
    page.goto(f"{live_server.url}/supervision/clues/")
    page.get_by_role("link", name=f"{case.number}“作出处罚决定”已于 {due:%Y-%m-%d} 届满仍未完成").click()
    page.get_by_label("交办给").select_option(label="钱峰")
    page.get_by_label("答复期限（工作日）").fill("5")
    page.get_by_label("交办意见").fill("请说明超期原因并尽快作出决定。")
    page.get_by_role("button", name="交办", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已交办")

    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    login(phone, live_server, county_head.username)
    phone.get_by_role("link", name=f"{case.number}“作出处罚决定”已于 {due:%Y-%m-%d} 届满仍未完成").first.click()
    phone.get_by_label("答复").select_option(label="已整改")
    phone.get_by_label("整改情况或情况说明").fill("已于今日作出处罚决定并送达，承办人员已作书面检查。")
    phone.get_by_role("button", name="提交答复").click()
    expect(phone.locator(".messages")).to_contain_text("已答复")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path="test-results/supervision-clue-360.png", full_page=True)
    phone.close()

    page.reload()
    page.get_by_label("办结意见").fill("整改到位，予以办结。")
    page.get_by_role("button", name="办结", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("线索已办结")
    expect(page.locator("body")).to_contain_text("整改到位，予以办结。")


def test_supervisor_issues_a_directive_from_the_clue_head_replies_from_todo_supervisor_closes(world, live_server, page, browser):
    county_head = f.person(world.county_a, Role.HEAD, username="head_county", full_name="钱峰")
    case = case_in(world, world.county_a)
    due = case.deadlines.get(code="decision").due_date
    services.run_models(["deadline_overdue"], today=due + datetime.timedelta(days=1))
    title = f"{case.number}“作出处罚决定”已于 {due:%Y-%m-%d} 届满仍未完成"

    login(page, live_server, "sup_city")
    page.goto(f"{live_server.url}/supervision/clues/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="发出督办通知").click()
    page.get_by_label("案件编号").fill(case.number)
    page.get_by_label("答复期限（工作日）").fill("5")
    page.get_by_role("button", name="发出").click()
    expect(page.locator(".messages")).to_contain_text("已发出督办通知")
    number = page.locator(".card p.muted").first.inner_text()

    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    login(phone, live_server, county_head.username)
    expect(phone.locator("body")).to_contain_text("待答复的监督文书")
    phone.get_by_role("link", name=re.compile(re.escape(number))).first.click()
    phone.get_by_label("整改情况或情况说明").fill("已于今日作出处罚决定并送达，承办人员已作书面检查。")
    phone.get_by_role("button", name="提交答复").click()
    expect(phone.locator(".messages")).to_contain_text("已答复")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path="test-results/supervision-directive-360.png", full_page=True)
    phone.close()

    page.reload()
    page.locator("select[name='review-accept']").select_option(label="同意办结")
    page.get_by_label("审核意见").fill("整改到位，予以办结。")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.locator(".messages")).to_contain_text("已办结")
    page.goto(f"{live_server.url}/supervision/clues/?open=0")
    expect(page.locator("table")).to_contain_text(title)


def test_the_cockpit_on_a_phone_drills_down_from_the_city_to_the_county(world, live_server, browser):
    case_in(world, world.county_a)
    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    login(phone, live_server, "sup_city")
    phone.goto(f"{live_server.url}/supervision/")
    expect(phone.get_by_role("heading", name=re.compile("数据驾驶舱"))).to_be_visible()
    phone.wait_for_function("() => document.querySelector('#chart-trend canvas') !== null")  # the trend chart drew
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.get_by_role("link", name=re.compile("海盐县")).first.click()
    expect(phone.locator("h1")).to_contain_text("海盐县")
    phone.screenshot(path="test-results/cockpit-360.png", full_page=True)
    phone.close()
