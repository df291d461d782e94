"""Browser tests: a 双随机 round from the head's plan to the public record, the inspector's recusal, and the
business scanning its code on a phone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhifa.inspections.models import Plan, TaskInspector
from zhifa.inspections.tests import factories as fx

from .test_key_pages import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_head_plans_freezes_and_draws_and_the_public_can_check(world, live_server, page, browser):
    fx.ready(world)
    login(page, live_server, "head_a")
    page.goto(f"{live_server.url}/inspections/plans/new/")
    today = timezone.localdate()
    page.get_by_label("随机抽查事项").select_option(index=1)
    page.get_by_label("计划名称").fill("危险化学品经营企业双随机抽查")
    page.get_by_label("检查开始日期").fill(today.isoformat())
    page.get_by_label("检查结束日期").fill(today.isoformat())
    page.get_by_label("采用的开奖号码").fill("中国福利彩票双色球第 2026138 期开奖号码")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=re.compile("第一步：固化名单"))).to_be_visible()
    page.get_by_role("button", name="固化名单").click()
    expect(page.locator(".messages")).to_contain_text("名单已固化")
    page.get_by_label("开奖号码").fill("03 11 17 22 28 31 + 09")
    page.get_by_role("button", name="录入并摇号").click()
    expect(page.locator(".messages")).to_contain_text("完成摇号")
    expect(page.locator("table").last.locator("tbody tr")).to_have_count(6)
    expect(page.locator("body")).to_contain_text("高风险 30%；一般风险 10%；低风险 2%")
    page.screenshot(path="test-results/inspection-plan-desktop.png", full_page=True)
    plan = Plan.objects.get()

    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    phone.goto(f"{live_server.url}/gs/inspections/{plan.pk}/")
    expect(phone.locator("body")).to_contain_text("03 11 17 22 28 31 + 09")
    expect(phone.get_by_role("link", name="下载校验程序")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path="test-results/inspection-public-360.png", full_page=True)
    task = plan.tasks.order_by("position").first()
    phone.goto(f"{live_server.url}/gs/inspections/check/{task.token}/")
    expect(phone.locator("body")).to_contain_text("真实有效的检查任务")
    for member in task.inspectors.filter(is_active=True).select_related("person"):
        expect(phone.locator("table")).to_contain_text(member.person.full_name)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.close()


def test_an_inspector_recuses_on_a_phone_and_is_replaced(world, live_server, browser):
    plan, _ = fx.drawn(world)
    member = TaskInspector.objects.filter(is_active=True).select_related("person").first()
    member.person.set_password("Zhifa@2026")
    member.person.save()
    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    login(phone, live_server, member.person.username)
    phone.goto(f"{live_server.url}/inspections/tasks/{member.task_id}/")
    expect(phone.get_by_role("button", name="开始检查")).to_be_visible()
    phone.locator(f"form[action$='/recuse/{member.pk}/'] input[name=reason]").fill("与检查对象负责人系近亲属")
    phone.locator(f"form[action$='/recuse/{member.pk}/']").get_by_role("button", name="回避").click()
    expect(phone.locator(".messages")).to_contain_text("已回避")
    expect(phone.locator("table").last).to_contain_text("已回避（与检查对象负责人系近亲属）")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.wait_for_function("() => document.querySelector('img[alt=扫码入企二维码]').naturalWidth > 0")  # the QR code loads
    phone.screenshot(path="test-results/inspection-task-360.png", full_page=True)
    phone.close()
