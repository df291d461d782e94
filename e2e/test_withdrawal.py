"""A published decision revoked on 行政复议: the head records it, sees the 3-working-day alert, withdraws it,
and a member of the public on a phone still reaches the page and reads when and why it was withdrawn."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from zhifa.cases import services as cases
from zhifa.cases.tests.factories import team
from zhifa.documents.tests.factories import make_document
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication

from .test_key_pages import login

pytestmark = pytest.mark.django_db(transaction=True)


def published_decision(world):
    partner = team(world)
    party = {"kind": "citizen", "name": "沈建明", "address": "嘉兴市南湖区建设路 66 号", "id_code": "330402198507152318"}
    case = cases.open_case(world.officer_a, procedure_code="penalty_simple", title="加油站内违规使用明火", source="inspection",
                           parties=[party], officers=[partner], occurred_on=datetime.date.today())
    cases.set_proposal(world.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="200", legal_basis="《浙江省消防条例》第五十一条")
    decision = make_document(world.officer_a, case, "onsite_penalty_decision", sign=False)
    return publicity.release(world.head_a, Publication.objects.get(document=decision))


def in_thread(fn, *args):
    """pyHanko seals with asyncio.run(), which cannot run beside Playwright's loop in this thread."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return fn(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def test_head_withdraws_a_revoked_decision_and_the_public_page_says_why(world, live_server, browser):
    publication = in_thread(published_decision, world)

    head = browser.new_page(locale="zh-CN")
    login(head, live_server, "head_a")
    head.goto(f"{live_server.url}/publicity/{publication.pk}/")
    form = head.locator("#revocation-form")
    form.get_by_label("事由").select_option(label="决定被撤销")
    form.get_by_label("决定被变更、撤销等的日期").fill(datetime.date.today().isoformat())
    form.get_by_label("文书及理由").fill("嘉兴市人民政府嘉政复〔2026〕41号行政复议决定撤销")
    form.get_by_role("button", name="登记").click()
    expect(head.locator(".messages")).to_contain_text("三个工作日")
    head.goto(f"{live_server.url}/publicity/?status=published")
    expect(head.locator("#withdrawal-alerts")).to_contain_text(publication.decision_number)
    head.goto(f"{live_server.url}/publicity/{publication.pk}/")
    head.locator("#withdraw-form").get_by_label("撤回理由（将公开）").fill("原处罚决定已被撤销，依法撤回公示")
    head.locator("#withdraw-form").get_by_role("button", name="撤回").click()
    expect(head.locator(".messages")).to_contain_text("已撤回公示")

    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    phone.goto(f"{live_server.url}/gs/decisions/{publication.token}/")
    expect(phone.locator("#withdrawn")).to_contain_text(re.compile("已于.*撤回"))
    expect(phone.locator("#withdrawn")).to_contain_text("嘉政复〔2026〕41号")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(phone.get_by_text("违规使用明火")).to_have_count(0)
