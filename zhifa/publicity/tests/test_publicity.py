"""事后公开: deadlines, redaction reviewed before release, withdrawal, take-down, and a crawl of the portal."""

import datetime
import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa import workdays
from zhifa.cases import services as cases
from zhifa.cases.tests.factories import team
from zhifa.documents import services as docs
from zhifa.publicity import redaction, selectors, services
from zhifa.publicity.models import Publication, PublicationStatus

PERSON = {"kind": "citizen", "name": "李明", "id_code": "330402199003071237", "address": "嘉兴市南湖区新兴路 12 号 3 幢 501 室", "phone": "13812345678"}
SECRET = "仓储温控工艺参数为 18℃/45%RH"


def decided_case(world, party=PERSON):
    partner = team(world)
    case = cases.open_case(world.officer_a, procedure_code="penalty_simple", title="违规动火作业", source="inspection", parties=[party], officers=[partner],
                            occurred_on=timezone.localdate())
    cases.set_proposal(world.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="200", legal_basis="《浙江省消防条例》第五十一条")
    doc = docs.draft_document(world.officer_a, case, doc_type="onsite_penalty_decision", content={
        "facts": f"当事人李明（身份证号 330402199003071237，手机 138-1234-5678）在住所嘉兴市南湖区新兴路 12 号 3 幢 501 室违规动火作业。{SECRET}。",
        "location": "嘉兴市南湖区新兴路 12 号", "performance": "当场缴纳，银行账号 6222021234567890123",
        "reconsideration_body": "嘉兴市人民政府", "court": "嘉兴市南湖区人民法院",
    })
    return case, docs.issue_document(world.officer_a, doc)


def test_issuing_a_decision_prepares_a_redacted_publication_due_in_7_workdays(world):
    case, doc = decided_case(world)
    p = Publication.objects.get(document=doc)
    assert p.status == PublicationStatus.PENDING and p.category == "penalty"
    assert p.due_date == workdays.add_workdays(doc.issued_on, 7).date
    assert "330402199003071237" in p.source_text
    for leaked in ("330402199003071237", "138-1234-5678", "新兴路 12 号 3 幢", "6222021234567890123"):
        assert leaked not in p.text
    assert {r["category"] for r in p.redactions} >= {"id_number", "phone", "address", "bank_account"}
    assert not selectors.public_publications().exists()  # nothing public before review


def test_release_after_review_with_trade_secrets_marked(world, client):
    case, doc = decided_case(world)
    p = Publication.objects.get(document=doc)
    with pytest.raises(PermissionDenied):
        services.release(world.officer_a, p)
    p = services.release(world.head_a, p, secret_marks=[SECRET])
    assert SECRET not in p.text and "【商业秘密已隐去】" in p.text
    assert p.take_down_on == p.published_on.replace(year=p.published_on.year + 2)  # natural person: 2 years
    page = client.get(f"/gs/decisions/{p.token}/").content.decode()
    assert p.decision_number in page and SECRET not in page and "qr.svg" in page
    assert client.get(f"/gs/decisions/{p.token}/qr.svg")["Content-Type"].startswith("image/svg")
    assert "动火" in client.get("/gs/decisions/", {"q": "动火"}).content.decode()  # a two-character word
    assert p.decision_number not in client.get("/gs/decisions/", {"q": "无此事"}).content.decode()


def test_withdrawal_needs_a_public_reason_and_counts_3_workdays(world, client):
    case, doc = decided_case(world)
    p = services.release(world.head_a, Publication.objects.get(document=doc))
    with pytest.raises(ValidationError, match="理由"):
        services.withdraw(world.head_a, p, trigger="revoked", trigger_date=timezone.localdate(), reason="")
    p = services.withdraw(world.head_a, p, trigger="revoked", trigger_date=timezone.localdate(), reason="复议机关撤销原处罚决定")
    assert p.withdrawal_due == workdays.add_workdays(timezone.localdate(), 3).date
    page = client.get(f"/gs/decisions/{p.token}/")  # the page stays and says it was withdrawn, when and why
    assert page.status_code == 200 and "撤回" in page.content.decode() and "复议机关撤销原处罚决定" in page.content.decode()


def test_take_down_after_the_period_and_overdue_alerts(world):
    case, doc = decided_case(world)
    p = Publication.objects.get(document=doc)
    Publication.objects.filter(pk=p.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert list(selectors.overdue_publications(world.city_supervisor)) == [Publication.objects.get(pk=p.pk)]
    p = services.release(world.head_a, p)
    assert services.take_down_expired(p.take_down_on) == 1
    assert Publication.objects.get(pk=p.pk).status == PublicationStatus.TAKEN_DOWN


def test_organisation_code_stays_public(world):
    party = {"kind": "organisation", "name": "嘉兴市禾丰化工贸易有限公司", "id_code": "91330402MA2BXXXX1K", "address": "嘉兴市南湖区凌公塘路 1288 号"}
    case, doc = decided_case(world, party)
    p = Publication.objects.get(document=doc)
    assert p.party_code == "91330402MA2BXXXX1K" and "凌公塘路 1288 号" in p.text  # a company's address is not private


def test_crawl_of_every_public_page_finds_no_identifier(world, client):
    """Acceptance: nothing reachable without login shows an ID number or a phone number."""
    case, doc = decided_case(world)
    services.release(world.head_a, Publication.objects.get(document=doc), secret_marks=[SECRET])
    from zhifa.procedures.services import publish_bundled

    publish_bundled(world.admin)
    from zhifa.powers import services as powers

    powers.save_item(world.admin, world.city_a, list_kind="powers", code="CF-001", name="对违规动火作业的处罚",
                     fields={"category": "行政处罚", "basis": "《浙江省消防条例》第五十一条"})
    seen, queue, pages = set(), ["/gs/", "/api/v1/public/officers/", "/api/v1/public/procedures/"], 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        pages += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        assert redaction.leaks(text) == [], url
        assert "13812345678" not in text.replace("-", "") and "13800000001" not in text, url
        for href in re.findall(r'href="([^"#]+)"', text):
            path = urlparse(urljoin(url, href.replace("&amp;", "&")))
            if path.path.startswith("/gs/") and not path.netloc:
                queue.append(path.path + (f"?{path.query}" if path.query else ""))
    assert pages >= 20 and any(u.endswith(".atom") for u in seen) and any(u.endswith(".csv") for u in seen)
    assert any(u.startswith("/gs/items/") for u in seen) and any(u.startswith("/gs/agencies/") for u in seen)


def test_api_and_commands(world):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from rest_framework.test import APIClient

    case, doc = decided_case(world)
    p = Publication.objects.get(document=doc)
    api = APIClient()
    api.force_authenticate(world.head_a)
    assert api.get("/api/v1/publications/", {"status": "pending"}).json()["results"][0]["id"] == p.pk
    bad = api.post(f"/api/v1/publications/{p.pk}/withdraw/", {"trigger": "revoked", "trigger_date": "2026-01-01", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "只有已公示" in str(bad.json())
    Publication.objects.filter(pk=p.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(CommandError):
        call_command("publicity", "overdue", stdout=io.StringIO())
    assert api.post(f"/api/v1/publications/{p.pk}/release/", {"secret_marks": [SECRET]}, format="json").json()["status"] == "published"
    out = io.StringIO()
    call_command("publicity", "overdue", stdout=out)
    assert "没有超过公示期限" in out.getvalue()
    call_command("publicity", "takedown", stdout=io.StringIO())


def test_verify_names_a_publication_edited_in_the_database(world):
    from django.db import connection

    from zhifa.ledger import verification
    from zhifa.ledger.guard import maintenance

    case, doc = decided_case(world)
    p = services.release(world.head_a, Publication.objects.get(document=doc))
    assert verification.verify().ok
    with maintenance(), connection.cursor() as cursor:
        cursor.execute("UPDATE publicity_publication SET text = %s WHERE id = %s", ["改写后的公示内容", p.pk])
    assert any(p.decision_number in x.message and "公开文本" in x.message for x in verification.verify().problems)


def test_annual_statistics_report(world, client, tmp_path):
    import io
    import subprocess

    from django.core.management import call_command

    case, doc = decided_case(world)
    services.release(world.head_a, Publication.objects.get(document=doc))
    year = timezone.localdate().year
    from zhifa.publicity import statistics

    data = statistics.compute(world.city_a, year)
    assert data["cases_opened"] == 1 and data["penalty_decisions"] == 1 and data["fines_total"] == "200.00"
    assert data["cases_by_category"]["行政处罚"] == 1 and data["publications"] == 1 and data["publications_on_time"] == 1
    with pytest.raises(ValidationError, match="已结束的年度"):
        services.generate_annual_report(world.admin, world.city_a, year)
    with pytest.raises(PermissionDenied):
        services.generate_annual_report(world.officer_a, world.city_a, year - 1)
    report = services.generate_annual_report(world.head_a, world.city_a, year - 1)
    assert report.data["cases_opened"] == 0
    page = client.get(f"/gs/annual/{report.pk}/").content.decode()
    assert "echarts" in page and "行政执法数据" in page
    pdf = b"".join(client.get(f"/gs/annual/{report.pk}/report.pdf").streaming_content)
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert f"{year - 1}年度行政执法数据" in text.replace("\n", "")
    out = io.StringIO()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="逾期未公开"):  # 31 January has passed for last year
        call_command("publicity", "annual-report", "--check", "--year", str(year - 1), stdout=out)
    assert world.other_city.name in out.getvalue() and world.city_a.name not in out.getvalue()


def test_search_index_phrases_and_filters(world):
    from zhifa.core.text import grams

    assert grams("危险化学品，仓库A3") == "危险 险化 化学 学品 仓库 库a a3"
    case, doc = decided_case(world)
    p = services.release(world.head_a, Publication.objects.get(document=doc))
    year = str(p.decision_date.year)
    found = lambda q, **f: list(selectors.search(selectors.public_publications(), q, f.get("agency", ""), f.get("category", ""), f.get("year", "")))  # noqa: E731
    assert found("动火作业") == [p] and found("火作") == [p] and found("作业动火") == []
    assert found("动火", year=year, category="penalty", agency=str(world.city_a.pk)) == [p]
    assert found("动火", year="1999") == [] and found("动火", agency=str(world.other_city.pk)) == []
    assert found("动") == [p]  # one character: a plain scan
    services.withdraw(world.head_a, p, trigger="revoked", trigger_date=timezone.localdate(), reason="撤销")
    assert found("动火") == []
