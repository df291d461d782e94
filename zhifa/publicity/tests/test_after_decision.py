"""Publicity after the decision: 不予处罚 and inspection results published, revocation recorded when it happens
with the 3-working-day withdrawal limit (across the 2026 New Year), the withdrawn page kept with its reason,
corrections shown, and the take-down period set per agency with its basis."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from zhifa.cases import services as cases
from zhifa.cases.samples import PARTY
from zhifa.cases.tests.factories import open_penalty, world_with_partner
from zhifa.core.testing.timeline import at, travel
from zhifa.documents.tests.factories import make_document
from zhifa.ledger import verification
from zhifa.publicity import selectors, services
from zhifa.publicity.models import Publication, PublicationStatus


@pytest.fixture
def clock(db):
    with travel("2025-12-29") as traveller:
        yield traveller


@pytest.fixture
def w(clock, request):
    return world_with_partner(request)


def simple_decision(w, *, kinds=("fine",), fine="200", party=None):
    party = party or {"kind": "citizen", "name": "李明", "address": "嘉兴市南湖区新兴路 12 号", "id_code": "330402199003071237"}
    case = cases.open_case(w.officer_a, procedure_code="penalty_simple", title="违规动火作业", source="inspection", parties=[party],
                           officers=[w.partner], occurred_on=dt.date(2025, 12, 29))
    cases.set_proposal(w.officer_a, case, outcome="penalty", penalty_kinds=list(kinds), fine_amount=fine if "fine" in kinds else None,
                       legal_basis="《浙江省消防条例》第五十一条")
    doc = make_document(w.officer_a, case, "onsite_penalty_decision", sign=False)
    return Publication.objects.get(document=doc)


def test_no_penalty_decisions_and_inspection_results_are_published(w):
    case = open_penalty(w, w.partner, occurred_on=dt.date(2025, 12, 20))
    cases.set_proposal(w.officer_a, case, outcome="no_penalty")
    doc = make_document(w.officer_a, case, "no_penalty_decision", issuer=w.head_a)
    publication = Publication.objects.get(document=doc)
    assert publication.conclusion == "不予行政处罚" and publication.category == "penalty"
    inspection = cases.open_case(w.officer_a, procedure_code="inspection", title="危险化学品储存专项检查", source="inspection",
                                 parties=[PARTY], officers=[w.partner])
    result = make_document(w.officer_a, inspection, "inspection_result", content={"result": "未发现违法行为"})
    assert Publication.objects.get(document=result).conclusion == "检查结果：未发现违法行为"
    assert Publication.objects.get(document=result).category == "inspection"


def test_revocation_starts_the_three_working_day_limit_with_alerts(w, clock):
    publication = services.release(w.head_a, simple_decision(w))
    clock.move_to(at("2025-12-31"))
    with pytest.raises(PermissionDenied):
        services.record_revocation(w.officer_a, publication, trigger="revoked", trigger_date=dt.date(2025, 12, 31), reason="复议撤销")
    with pytest.raises(ValidationError, match="文书"):
        services.record_revocation(w.head_a, publication, trigger="revoked", trigger_date=dt.date(2025, 12, 31), reason="")
    publication = services.record_revocation(w.head_a, publication, trigger="revoked", trigger_date=dt.date(2025, 12, 31),
                                             reason="嘉兴市人民政府嘉政复〔2025〕88号行政复议决定撤销")
    # 31 Dec + 3 WD: Sun 4 Jan (调休), Mon 5, Tue 6.
    assert publication.withdrawal_due == dt.date(2026, 1, 6) and publication.status == PublicationStatus.PUBLISHED
    assert list(selectors.withdrawals_due(w.head_a)) == [publication]
    call_command("publicity", "--as", "head_a", "withdrawals", stdout=io.StringIO())  # due, not late: exit 0
    clock.move_to(at("2026-01-07"))
    with pytest.raises(CommandError) as exc:
        call_command("publicity", "--as", "head_a", "withdrawals", stdout=io.StringIO())
    assert exc.value.returncode == 1
    client = APIClient()
    client.force_authenticate(w.head_a)
    assert client.get("/api/v1/publications/withdrawals-due/").json()[0]["withdrawal_due"] == "2026-01-06"
    publication = services.withdraw(w.head_a, publication, reason="该决定已被行政复议机关撤销")
    assert publication.withdrawn_on == dt.date(2026, 1, 7) and not selectors.withdrawals_due(w.head_a).exists()
    assert verification.verify(check_files=False).ok


def test_revoked_before_release_never_goes_public(w):
    publication = services.record_revocation(w.head_a, simple_decision(w), trigger="illegal", trigger_date=dt.date(2025, 12, 29),
                                             reason="人民法院判决确认违法")
    assert publication.status == PublicationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.release(w.head_a, publication)


def test_withdrawn_page_stays_with_reason_and_feeds_carry_it(w, client):
    publication = services.release(w.head_a, simple_decision(w))
    services.withdraw(w.head_a, publication, trigger="changed", trigger_date=dt.date(2025, 12, 29), reason="复议决定变更罚款数额")
    page = client.get(f"/gs/decisions/{publication.token}/")
    body = page.content.decode()
    assert page.status_code == 200 and "已于 2025年12月29日 撤回" in body and "复议决定变更罚款数额" in body and "决定被变更" in body
    assert "违规动火" not in body.split('id="withdrawn"')[1]  # the withdrawn content itself is gone
    assert publication.decision_number not in client.get("/gs/decisions/").content.decode()  # not listed as in force
    data = json.loads(client.get("/gs/decisions/open-data.json").content)["items"]
    row = next(r for r in data if r["decision_number"] == publication.decision_number)
    assert row["status"] == "已撤回" and "复议决定变更罚款数额" in row["withdrawal_reason"] and row["conclusion"] == ""
    feed = client.get("/gs/decisions/feed.atom").content.decode()
    assert "【已撤回】" in feed and "复议决定变更罚款数额" in feed
    assert "已撤回" in client.get("/gs/decisions/open-data.csv").content.decode("utf-8-sig")


def test_corrections_are_visible_and_redacted(w, client, clock):
    publication = services.release(w.head_a, simple_decision(w))
    with pytest.raises(ValidationError, match="更正说明"):
        services.correct(w.head_a, publication, note="", conclusion="罚款人民币 100 元")
    with pytest.raises(ValidationError, match="身份证号码或电话号码"):
        services.correct(w.head_a, publication, note="补充联系方式", basis="联系电话 13812345678")
    clock.move_to(at("2026-01-05"))
    publication = services.correct(w.head_a, publication, note="原公示的罚款数额录入错误，已更正", conclusion="警告、通报批评；罚款人民币 100 元",
                                   text=publication.text + "\n当事人身份证号 330402199003071237。")
    assert "330402199003071237" not in publication.text
    body = client.get(f"/gs/decisions/{publication.token}/").content.decode()
    assert "2026年1月5日更正：原公示的罚款数额录入错误，已更正" in body and "罚款人民币 100 元" in body
    row = next(r for r in json.loads(client.get("/gs/decisions/open-data.json").content)["items"] if r["decision_number"] == publication.decision_number)
    assert row["corrected_on"] == "2026-01-05"
    assert verification.verify(check_files=False).ok


def test_take_down_period_follows_the_agency_setting_with_its_basis(w):
    default = services.release(w.head_a, simple_decision(w))
    assert default.take_down_on == dt.date(2027, 12, 29) and "冀政办发〔2015〕22号" in default.retention_basis  # natural person: 2 years
    with pytest.raises(PermissionDenied):
        services.save_setting(w.officer_a, w.city_a, scheme="samr45")
    with pytest.raises(ValidationError, match="依据"):
        services.save_setting(w.head_a, w.city_a, scheme="samr45", low_fine_amount=Decimal("3000"))
    call_command("publicity", "retention", "嘉兴市应急管理局", "samr45", "--low-fine", "3000", "--basis", "浙江省市场监管局规定", stdout=io.StringIO())
    low = services.release(w.head_a, simple_decision(w, fine="200"))
    assert low.take_down_on == dt.date(2026, 3, 29) and "三个月" in low.retention_basis and "浙江省市场监管局规定" in low.retention_basis
    warning = services.release(w.head_a, simple_decision(w, kinds=("warning",)))
    assert warning.take_down_on == dt.date(2026, 3, 29) and "通报批评" in warning.retention_basis
    services.save_setting(w.head_a, w.city_a, scheme="samr45", low_fine_amount=Decimal("100"), low_fine_basis="浙江省市场监管局规定")
    higher = services.release(w.head_a, simple_decision(w, fine="200"))
    assert higher.take_down_on == dt.date(2028, 12, 29) and "公示三年" in higher.retention_basis
    client = APIClient()
    client.force_authenticate(w.head_a)
    assert client.get(f"/api/v1/publicity-settings/{w.city_a.pk}/").json()["scheme"] == "samr45"
    response = client.put(f"/api/v1/publicity-settings/{w.city_a.pk}/", {"scheme": "hebei_2015"}, format="json")
    assert response.status_code == 200 and response.json()["scheme"] == "hebei_2015"


def test_revocation_correction_and_setting_on_the_pages(w, client, clock):
    publication = services.release(w.head_a, simple_decision(w))
    client.force_login(w.head_a)
    page = client.get(f"/publicity/{publication.pk}/").content.decode()
    assert 'id="revocation-form"' in page and 'id="correction-form"' in page
    client.post(f"/publicity/{publication.pk}/correct/", {"conclusion": "罚款人民币 150 元", "note": "罚款数额录入错误"})
    assert Publication.objects.get(pk=publication.pk).corrections.get().note == "罚款数额录入错误"
    response = client.post(f"/publicity/{publication.pk}/revocation/", {"trigger": "revoked", "trigger_date": "2025-12-29", "reason": "复议撤销（嘉政复〔2025〕9号）"}, follow=True)
    assert "应于 2026年01月04日 前撤回" in response.content.decode()  # Mon 29 Dec + 3 WD: 30, 31 Dec, Sun 4 Jan (调休)
    queue = client.get("/publicity/", {"status": "published"}).content.decode()
    assert 'id="withdrawal-alerts"' in queue and publication.decision_number in queue
    client.post(f"/publicity/{publication.pk}/withdraw/", {"reason": "依法撤回"})
    withdrawn = Publication.objects.get(pk=publication.pk)
    assert withdrawn.status == PublicationStatus.WITHDRAWN and withdrawn.withdrawal_reason == "复议撤销（嘉政复〔2025〕9号）。依法撤回"
    response = client.post(f"/publicity/settings/{w.city_a.pk}/", {"scheme": "samr45", "low_fine_amount": "-1"})
    assert response.status_code == 400
    client.post(f"/publicity/settings/{w.city_a.pk}/", {"scheme": "samr45", "low_fine_amount": "1000", "low_fine_basis": "省局规定"})
    assert "市场监管" in client.get(f"/publicity/settings/{w.city_a.pk}/").content.decode()
    client.force_login(w.officer_other)
    assert client.get(f"/publicity/settings/{w.city_a.pk}/").status_code == 404  # another city's agency
