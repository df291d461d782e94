"""Recording evidence in the browser, and the supervisor seeing who looked at it."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from .test_key_pages import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_records_evidence_and_supervisor_sees_access(world, live_server, page, browser):
    from zhifa.cases.tests.factories import open_penalty, team

    case = open_penalty(world, team(world))  # evidence is recorded only against the officer's own case
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 400
    login(page, live_server, "officer_a")
    page.get_by_role("link", name="证据", exact=True).click()
    page.get_by_role("link", name="登记证据").click()
    page.get_by_label("文件").set_input_files({"name": "仓库东侧现场照片.png", "mimeType": "image/png", "buffer": data})
    page.get_by_label("案件编号").fill(case.number)
    page.get_by_label("名称").fill("仓库东侧现场照片")
    page.get_by_label("证据种类").select_option(label="视听资料")
    page.get_by_label("执法环节").select_option(label="现场执法检查")
    page.get_by_label("证明对象").fill("消防通道堆放货物、未保持畅通")
    page.get_by_label("采集时间").fill("2026-11-20T10:30")
    page.get_by_label("采集地点").fill("嘉兴市南湖区凌公塘路 1288 号 3 号仓库")
    page.get_by_role("button", name="上传并登记").click()
    expect(page.locator(".messages")).to_contain_text("证据已登记")
    expect(page.locator("dl")).to_contain_text(hashlib.new("sm3", data).hexdigest())
    page.get_by_placeholder("调阅事由（选填）").fill("制作案卷")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载原始文件").click()
    assert open(download.value.path(), "rb").read() == data
    page.get_by_role("link", name=re.compile(r"第 \d+ 条事件")).click()
    expect(page.locator("body")).to_contain_text("已按 RFC 9162 验证")

    supervisor = browser.new_page(locale="zh-CN")
    login(supervisor, live_server, "sup_city")
    supervisor.get_by_role("link", name="调阅记录").click()
    rows = supervisor.locator("tbody tr")
    expect(rows.filter(has_text="下载")).to_contain_text("制作案卷")
    expect(rows.filter(has_text="下载")).to_contain_text("张伟")
