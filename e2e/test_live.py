"""A supervisor keeps 实时动态 open on a phone; an alert raised in an agency of the region appears without reloading."""

import pytest
from playwright.sync_api import expect

from zhifa.workflow.alerts import raise_alert

from .test_key_pages import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_alert_appears_on_the_supervisors_live_page(world, live_server, browser):
    phone = browser.new_page(locale="zh-CN", viewport={"width": 360, "height": 800})
    login(phone, live_server, "sup_city")
    phone.goto(f"{live_server.url}/live/")
    expect(phone.locator("#live-state")).to_have_text("已连接")
    raise_alert(code="deadline_overdue", key="live-1", agency_id=world.city_a.pk, title="立〔2026〕7号 作出处罚决定期限已超期")
    raise_alert(code="deadline_overdue", key="live-2", agency_id=world.other_city.pk, title="湖州的案件超期")
    expect(phone.locator("#live-events li")).to_have_count(1, timeout=10000)
    expect(phone.locator("#live-events")).to_contain_text("作出处罚决定期限已超期")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
