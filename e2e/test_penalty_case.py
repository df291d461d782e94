"""One 行政处罚 case walked through the pages from 立案 to 结案: officer, legal reviewer and agency head; the
decision routed to the head for approval, and its issue pushed, signed, to a subscribed platform."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from zhifa.cases.tests.factories import team
from zhifa.review import services as review
from zhifa.review.models import Criterion
from zhifa.workflow import services as workflow
from zhifa.workflow.tests.test_services import Receiver, verified

from .test_key_pages import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def assert_pushed_and_signed(receiver, secret):
    """The platform got the issued decision, and its signature checks out with the subscription's secret."""
    import json

    decisions = [(h, b) for h, b in receiver.requests if json.loads(b)["data"].get("doc_type") == "penalty_decision"]
    assert len(decisions) == 1, receiver.requests
    headers, body = decisions[0]
    assert verified(headers, body, secret) and not verified(headers, body + b"x", secret)
    assert headers["X-Zhifa-Event"] == "documents.document.issued" and "罚决〔" in json.loads(body)["data"]["number"]


def serve(page, manner="直接送达"):
    """On an issued document's page: record its service today."""
    form = page.locator("#service-form")
    form.get_by_label("送达方式").select_option(label=manner)
    form.get_by_label("送达日期").fill(datetime.date.today().isoformat())
    form.get_by_role("button", name="登记送达").click()
    expect(page.locator(".messages")).to_contain_text("视为送达")


def make_document(page, case_url, label, *, sign=False, served=False, head=None):
    """Draft and issue; with `head`, a form the head signs is sent for approval and approved on the head's page."""
    page.goto(case_url)
    page.locator("#new-document select").select_option(label=label)
    page.get_by_role("button", name="制作文书").click()
    form = page.locator("#document-form")
    for field in form.locator("textarea, input[type=text]").all():
        field.fill(f"{label}的内容：见案卷材料。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    if head is not None:
        page.get_by_role("button", name="送机关负责人审批签发").click()
        expect(page.locator(".messages")).to_contain_text("已送机关负责人审批")
        head.goto(case_url.split("/cases/")[0] + "/approvals/")
        head.get_by_role("link", name=re.compile(f"签发《{label}》")).click()
        head.locator("#approval-form").get_by_label("批准").check()
        head.locator("#approval-form").get_by_role("button", name="提交").click()
        expect(head.locator("#approval-status")).to_have_text("已批准")
        page.reload()
        expect(page.locator("dl").first).to_contain_text("〔")
    else:
        page.get_by_role("button", name=re.compile("^签发")).click()
        expect(page.locator(".messages")).to_contain_text("已签发")
    if sign:
        page.locator("#signature-form select").select_option("signed")
        page.locator("#signature-form").get_by_role("button", name="登记").click()
        expect(page.locator(".messages")).to_contain_text("已登记签名情况")
    if served:
        serve(page)


def move(page, case_url, target):
    page.goto(case_url)
    page.locator("#next-steps").get_by_role("button", name=re.compile(f"→ {target}$")).click()
    expect(page.locator("#current-stage")).to_have_text(target)


def test_penalty_case_from_filing_to_closing(world, live_server, browser, receiver):
    team(world)
    subscription_secret = workflow.create_subscription(
        world.admin, name="省级行政执法监督平台", url=receiver.url, kinds=["documents.document.issued"],
    ).secret
    review.save_rule(world.admin, name="罚款五万元以上", criterion=Criterion.FINE_AT_LEAST, amount="50000", basis="审核目录第一项")
    officer = browser.new_page(locale="zh-CN")
    login(officer, live_server, "officer_a")
    officer.get_by_role("link", name="案件", exact=True).click()
    officer.get_by_role("link", name="立案").click()
    officer.get_by_label("适用程序").select_option(label="行政处罚普通程序")
    officer.get_by_label("案由").fill("未按规定储存危险化学品案")
    officer.get_by_label("案件来源").select_option(label="监督检查发现")
    officer.get_by_label("违法行为发生日").fill((datetime.date.today() - datetime.timedelta(days=10)).isoformat())
    officer.get_by_label("当事人类型").select_option(label="法人或者其他组织")
    officer.get_by_label("当事人名称或姓名").fill("嘉兴市禾丰化工贸易有限公司")
    officer.get_by_label("当事人住所（地址）").fill("嘉兴市南湖区凌公塘路 1288 号")
    officer.get_by_label("张伟（").check()
    officer.get_by_label("吴磊（").check()
    officer.get_by_role("button", name="立案").click()
    expect(officer.locator(".messages")).to_contain_text("已立案")
    case_url = officer.url
    expect(officer.locator("#next-steps")).to_contain_text("尚未制作并签发《立案审批表》")

    head = browser.new_page(locale="zh-CN")
    login(head, live_server, "head_a")
    make_document(officer, case_url, "立案审批表", head=head)  # 立案 is the head's approval, not the officer's words
    move(officer, case_url, "调查取证")
    make_document(officer, case_url, "现场检查（勘验）笔录", sign=True)
    move(officer, case_url, "调查终结")
    make_document(officer, case_url, "调查终结报告")
    officer.goto(case_url)
    proposal = officer.locator("#proposal-form")
    proposal.get_by_label("拟处理意见").select_option(label="给予行政处罚")
    proposal.get_by_label("罚款", exact=True).check()
    proposal.get_by_label("罚款金额（元）").fill("80000")
    proposal.get_by_label("处罚依据").fill("《危险化学品安全管理条例》第八十条第一款第三项")
    proposal.get_by_role("button", name="保存拟处理意见").click()
    expect(officer.locator(".messages")).to_contain_text("须经法制审核")
    move(officer, case_url, "告知")
    make_document(officer, case_url, "行政处罚事先告知书", served=True)
    move(officer, case_url, "陈述申辩与复核")
    make_document(officer, case_url, "陈述申辩笔录", sign=True)
    officer.goto(case_url)
    expect(officer.locator("#next-steps")).to_contain_text("尚未送法制审核")  # 作出决定 is blocked
    move(officer, case_url, "法制审核")
    officer.get_by_role("button", name="提交审核材料（送审）").click()
    expect(officer.locator(".messages")).to_contain_text("已送法制审核")

    reviewer = browser.new_page(locale="zh-CN")
    login(reviewer, live_server, "reviewer_a")
    reviewer.get_by_role("link", name="法制审核", exact=True).click()
    reviewer.get_by_role("link", name=re.compile("立〔")).click()
    form = reviewer.locator("#review-form")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    form.get_by_label("审核结论").select_option(label="同意")
    form.get_by_label("审核意见及理由").fill("事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意。")
    form.get_by_role("button", name="提交审核意见").click()
    expect(reviewer.locator(".messages")).to_contain_text("同意")

    # The decision goes to the head through the system: 待办 and a notification for the head, who approves it as
    # himself (the decision is issued in his name, his approval printed on it); the officer is told; the issued
    # decision is pushed, signed, to the subscribed supervision platform.
    move(officer, case_url, "决定")
    officer.goto(case_url)
    officer.locator("#new-document select").select_option(label="行政处罚决定书")
    officer.get_by_role("button", name="制作文书").click()
    for field in officer.locator("#document-form").locator("textarea, input[type=text]").all():
        field.fill("见案卷材料。")
    officer.get_by_role("button", name="保存草稿").click()
    expect(officer.locator("#issue-form")).to_have_count(0)  # the officer cannot issue it, nor type the head's approval
    decision_url = officer.url
    officer.get_by_label("送审说明（可不填）").fill("事实清楚，证据确凿，经法制审核同意，请审批。")

    head.goto(f"{live_server.url}/notifications/")
    head.get_by_role("button", name="全部标为已读").click()  # the 立案 request's notice, seen
    officer.get_by_role("button", name="送机关负责人审批签发").click()
    expect(officer.locator(".messages")).to_contain_text("已送机关负责人审批")
    expect(officer.locator("#approval-state")).to_contain_text("待审批")
    head.goto(f"{live_server.url}/")
    expect(head.locator("#notification-count .count")).to_have_text("1")
    todo = head.locator("#todo")
    expect(todo).to_contain_text("待我审批")
    todo.get_by_role("link", name=re.compile("签发《行政处罚决定书》")).click()
    expect(head.locator(".pre-wrap").first).to_contain_text("经法制审核同意")
    form = head.locator("#approval-form")
    form.get_by_label("批准").check()
    form.get_by_label("审批意见").fill("同意，按拟定意见处罚。")
    form.get_by_role("button", name="提交").click()
    expect(head.locator(".messages")).to_contain_text("已批准并签发")
    expect(head.locator("#approval-status")).to_have_text("已批准")

    officer.goto(f"{live_server.url}/notifications/")
    expect(officer.locator("#notices")).to_contain_text("已批准：签发《行政处罚决定书》")
    officer.goto(decision_url)
    expect(officer.locator("dl").first).to_contain_text("罚决〔")
    expect(officer.locator("dl").first).to_contain_text("王强")
    assert_pushed_and_signed(receiver, subscription_secret)

    move(officer, case_url, "送达")
    officer.goto(decision_url)
    form = officer.locator("#service-form")
    form.get_by_label("送达方式").select_option(label="邮寄送达")
    form.get_by_label("送达日期").fill(datetime.date.today().isoformat())
    form.get_by_label("说明（邮寄写单号，电子送达写确认书及地址）").fill("EMS 1190012345678")
    form.get_by_role("button", name="登记送达").click()
    expect(officer.locator("#services")).to_contain_text("邮寄送达")
    move(officer, case_url, "执行")
    make_document(officer, case_url, "结案报告")
    officer.goto(case_url)
    expect(officer.locator("#next-steps")).to_contain_text("罚款尚未缴清")
    payment = officer.locator("#payments")
    payment.get_by_text("登记缴款").click()
    payment.get_by_label("缴款日期").fill(datetime.date.today().isoformat())
    payment.get_by_label("缴款金额（元）").fill("80000")
    payment.get_by_label("缴款凭证号").fill("3304-2026-000888")
    payment.get_by_role("button", name="登记").click()
    expect(officer.locator(".messages")).to_contain_text("已登记缴款 80000")
    move(officer, case_url, "结案")
    expect(officer.locator("dl")).to_contain_text("已结案")
    expect(officer.locator("#case-documents")).to_contain_text("法制审核意见书")
