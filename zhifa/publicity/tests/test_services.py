"""Publication services, rule by rule: who releases, withdraws and corrects, what each must state, the
3-working-day withdrawal limit, and the public API that serves the portal's data. Refusals change nothing."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa import workdays
from zhifa.cases.samples import PARTY
from zhifa.core.roles import Role
from zhifa.documents.tests.factories import onsite_decision_in
from zhifa.ledger.models import LedgerEvent
from zhifa.org.tests import factories as f
from zhifa.publicity import services
from zhifa.publicity.models import Publication, PublicationStatus, PublicitySetting

TODAY = timezone.localdate
PERSON = {"kind": "citizen", "name": "李明", "id_code": "330402199003071237", "address": "嘉兴市南湖区新兴路 12 号 3 幢 501 室", "phone": "13812345678"}


def snapshot():
    return (LedgerEvent.objects.count(), PublicitySetting.objects.count(),
            list(Publication.objects.order_by("pk").values_list("status", "text", "withdrawal_trigger", "withdrawal_reason", "party_name")))


def unchanged(call, *args, match, error=ValidationError, **kwargs):
    before = snapshot()
    with pytest.raises(error, match=match):
        call(*args, **kwargs)
    assert snapshot() == before


@pytest.fixture
def pending(world):
    return Publication.objects.get(document=onsite_decision_in(world, world.city_a, party=PERSON))


@pytest.fixture
def published(world, pending):
    return services.release(world.reviewer_a, pending)


def test_release_only_by_the_agencys_head_or_reviewer_and_only_once(world, pending):
    other_head = f.person(world.other_city, Role.HEAD, full_name="湖州局长")
    for actor in (world.officer_a, world.city_supervisor, other_head):
        unchanged(services.release, actor, pending, match="负责人或法制审核人员", error=PermissionDenied)
    done = services.release(world.reviewer_a, pending)
    assert done.status == PublicationStatus.PUBLISHED and done.reviewed_by == world.reviewer_a and done.published_on == TODAY()
    unchanged(services.release, world.head_a, done, match="不是待审核状态")


def test_a_natural_persons_decision_is_public_for_two_years_and_shows_no_identifier(world, published):
    assert published.take_down_on == published.published_on.replace(year=published.published_on.year + 2)
    for leaked in ("330402199003071237", "13812345678", "新兴路 12 号 3 幢"):
        assert leaked not in published.text + published.party_name


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"reason": " ", "trigger": "revoked"}, "应当公开说明理由"),
        ({"reason": "复议撤销", "trigger": "whim", "trigger_date": None}, "撤回事由无效"),
        ({"reason": "复议撤销", "trigger": "revoked", "trigger_date": None}, "决定日期与今天之间"),
        ({"reason": "复议撤销", "trigger": "revoked", "trigger_date": "tomorrow"}, "决定日期与今天之间"),
        ({"reason": "复议\u202e撤销", "trigger": "revoked", "trigger_date": "today"}, "控制字符"),
    ],
)
def test_a_withdrawal_states_its_reason_and_what_happened_when(world, published, kwargs, message):
    kwargs = dict(kwargs)
    if kwargs.get("trigger_date") == "tomorrow":
        kwargs["trigger_date"] = TODAY() + dt.timedelta(days=1)
    elif kwargs.get("trigger_date") == "today":
        kwargs["trigger_date"] = TODAY()
    unchanged(services.withdraw, world.head_a, published, **kwargs, match=message)


def test_withdrawal_is_due_three_working_days_after_the_revocation(world, published):
    done = services.withdraw(world.head_a, published, reason="经行政复议，原处罚决定被撤销。", trigger="revoked", trigger_date=TODAY())
    assert done.status == PublicationStatus.WITHDRAWN and done.withdrawal_due == workdays.add_workdays(TODAY(), 3).date
    unchanged(services.withdraw, world.head_a, done, reason="再撤一次", trigger="revoked", trigger_date=TODAY(), match="只有已公示的记录可以撤回")
    unchanged(services.correct, world.head_a, done, note="更正", party_name="李某某", match="只有公示中的信息可以更正")


def test_a_revocation_before_release_withdraws_at_once_and_is_recorded_once(world, pending):
    done = services.record_revocation(world.head_a, pending, trigger="revoked", trigger_date=TODAY(), reason="复议决定书（嘉政复〔2026〕1号）撤销原决定。")
    assert done.status == PublicationStatus.WITHDRAWN
    unchanged(services.record_revocation, world.head_a, done, trigger="changed", trigger_date=TODAY(), reason="再登记", match="已登记")
    unchanged(services.release, world.head_a, done, match="不是待审核状态")


def test_corrections_name_what_changed_and_never_let_an_identifier_in(world, published):
    unchanged(services.correct, world.head_a, published, note=" ", party_name="李某某", match="应当写明更正说明")
    unchanged(services.correct, world.head_a, published, note="更正", fine_amount="1", match="该栏目不能更正")
    unchanged(services.correct, world.head_a, published, note="更正", party_name=published.party_name, match="没有需要更正的内容")
    unchanged(services.correct, world.officer_a, published, note="更正", conclusion="罚款一百元", match="负责人或法制审核人员", error=PermissionDenied)
    fixed = services.correct(world.head_a, published, note="处罚金额笔误，更正为二百元。", conclusion="罚款二百元")
    assert fixed.conclusion == "罚款二百元"
    changes = LedgerEvent.objects.filter(kind="publicity.publication.corrected").latest("seq").parsed["data"]["corrections"]
    assert changes and "处罚金额笔误" in json.dumps(changes, ensure_ascii=False)


def test_the_take_down_scheme_is_set_by_the_agency_with_its_basis(world):
    unchanged(services.save_setting, world.officer_a, world.city_a, scheme="general", match="系统管理员或本机关负责人", error=PermissionDenied)
    unchanged(services.save_setting, world.head_a, world.city_a, scheme="forever", match="公示期限规则无效")
    unchanged(services.save_setting, world.head_a, world.city_a, scheme="samr45", low_fine_amount="5000", match="应当写明较低数额罚款标准的依据")
    setting = services.save_setting(world.head_a, world.city_a, scheme="samr45", low_fine_amount="5000", low_fine_basis="浙江省市场监管局规定")
    assert setting.scheme == "samr45" and LedgerEvent.objects.filter(kind="publicity.setting.saved").exists()


def test_the_annual_report_is_only_for_a_finished_year(world):
    unchanged(services.generate_annual_report, world.head_a, world.city_a, TODAY().year, match="已结束的年度")


def test_the_public_api_shows_what_the_portal_shows(world, published, client):
    api = APIClient()
    body = api.get("/api/v1/public/decisions/").json()
    assert body["count"] == 1 and body["results"][0]["decision_number"] == published.decision_number
    assert "330402199003071237" not in json.dumps(body, ensure_ascii=False)
    assert api.get(f"/api/v1/public/decisions/{published.token}/").json()["url"].endswith(f"/gs/decisions/{published.token}/")
    csv_api = api.get("/api/v1/public/decisions/open-data.csv").content
    assert csv_api == client.get("/gs/decisions/open-data.csv").content
    assert published.decision_number in api.get("/api/v1/public/decisions/feed.atom").content.decode()
    assert api.get("/api/v1/public/decisions/nonexistent/").status_code == 404
    api.credentials(HTTP_AUTHORIZATION="Token forged")  # a bad token does not matter on public data
    assert api.get("/api/v1/public/decisions/").status_code == 200


def test_a_pending_publication_is_not_public(world, pending):
    assert APIClient().get("/api/v1/public/decisions/").json()["count"] == 0
    assert APIClient().get(f"/api/v1/public/decisions/{pending.token}/").status_code == 404


def test_search_finds_the_newest_matches_however_far_back_they_are(world, monkeypatch):
    """PostgreSQL walks back from the newest id in growing windows (SQLite's FTS5 walks its index backwards):
    either way the result is exactly the newest matches, newest first, and an old match is still found."""
    from zhifa.publicity import search

    monkeypatch.setattr(search, "FIRST_WINDOW", 2)
    monkeypatch.setattr(search, "PHRASE_WINDOWS", (3,))  # a phrase walks on a little further, then asks GIN
    made = []
    for n in range(7):
        document = onsite_decision_in(world, world.city_a, party=PARTY if n == 0 else PERSON)
        made.append(services.release(world.head_a, Publication.objects.get(document=document)).pk)
    assert search.matching_ids("仓库", 5) == sorted(made, reverse=True)[:5]
    assert search.matching_ids("仓库", 50) == sorted(made, reverse=True)
    assert search.matching_ids("禾丰", 5) == [made[0]]  # only in the oldest: found after the windows widen
    assert search.matching_ids("禾丰化工贸易", 5) == [made[0]]  # a phrase of several bigrams, the same
    assert search.matching_ids("当场行政处罚决定书", 3) == sorted(made, reverse=True)[:3]
    assert search.matching_ids("当场行政处罚决定书", 10) == sorted(made, reverse=True)
    assert search.matching_ids("没有这个词", 5) == []
    assert search.matching_ids("动", 5) is None  # one character: not indexed, the caller scans
    if connection.vendor == "postgresql":  # the walk turns bitmap scans off for itself only, even inside a transaction
        with transaction.atomic(), connection.cursor() as cursor:
            search.matching_ids("禾丰化工贸易", 5)
            cursor.execute("SHOW enable_bitmapscan")
            assert cursor.fetchone()[0] == "on"

    # The portal lists the newest SEARCH_CAP matches, says so, and points to the filters for older ones.
    from zhifa.publicity import selectors

    monkeypatch.setattr(selectors, "SEARCH_CAP", 4)
    page = Client().get("/gs/decisions/?q=仓库").content.decode()
    listed = {p.pk for p in Publication.objects.filter(pk__in=made) if p.decision_number in page}
    assert listed == set(sorted(made, reverse=True)[:4])  # the four newest of seven
    assert "最近的 4 条" in page and "最近的 4 条" in page and "加上年度或执法机关" in page
    everything = Client().get("/gs/decisions/").content.decode()
    assert "最近的" not in everything and all(p.decision_number in everything for p in Publication.objects.filter(pk__in=made))


@pytest.mark.parametrize(
    "page, cap", [(None, 21), ("1", 21), ("2", 41), ("10", 200), ("99999", 200), ("abc", 21), ("0", 21), ("-3", 21), ("２", 21)]
)
def test_a_search_page_counts_to_its_end_and_one_more_never_beyond_the_cap(page, cap):
    from zhifa.publicity.selectors import search_page_cap

    assert search_page_cap(page, 20) == cap
