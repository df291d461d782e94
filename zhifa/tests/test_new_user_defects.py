"""Defects found trying zhifa as a new user: each one held here so it cannot come back."""

import datetime as dt

import pytest
from django.utils import timezone

from zhifa.cases.services import CASE_NUMBER_CODES
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.documents.tests.factories import make_document
from zhifa.evidence import services as evidence_services
from zhifa.evidence.models import AccessAction, AccessChannel
from zhifa.evidence.tests import factories as ef
from zhifa.org.tests import factories as f
from zhifa.procedures.document_types import DOCUMENT_TYPES
from zhifa.publicity import redaction

pytestmark = pytest.mark.django_db


def test_public_officer_list_shows_only_credentials_valid_today(world, client):
    lapsed = f.person(world.city_a, "officer", username="lapsed", full_name="过期者")
    f.credential(lapsed, number="33040019999", valid_from=dt.date(2019, 1, 1), valid_until=timezone.localdate() - dt.timedelta(days=1))
    future = f.person(world.city_a, "officer", username="future", full_name="未生效者")
    f.credential(future, number="33040019998", valid_from=timezone.localdate() + dt.timedelta(days=3))
    page = client.get("/gs/officers/").content.decode()
    assert "张伟" in page and "33040011001" in page
    assert "过期者" not in page and "33040019999" not in page and "未生效者" not in page
    assert "过期者" not in client.get("/gs/officers/", {"q": "33040019999"}).content.decode()


@pytest.mark.parametrize("url", [
    "/gs/decisions/?agency=99999999999999999999", "/gs/decisions/?year=99999999999999999999&agency=１２",
    "/gs/officers/?agency=99999999999999999999", "/gs/officers/?agency=²", "/gs/decisions/open-data.json?agency=99999999999999999999",
    "/api/v1/documents/?case=99999999999999999999", "/api/v1/documents/?case=²",
])
def test_out_of_range_ids_in_query_strings_are_not_a_500(world, client, url):
    client.force_login(world.admin)
    assert client.get(url).status_code < 500


def test_case_numbers_have_no_gaps_from_document_numbers(world):
    assert not set(CASE_NUMBER_CODES.values()) & {code for _, code in DOCUMENT_TYPES.values()}
    codes = [code for _, code in DOCUMENT_TYPES.values()]
    assert len(codes) == len(set(codes))  # every document type its own series
    partner = team(world)
    first = open_penalty(world, partner)
    make_document(world.officer_a, first, "filing_approval")
    second = open_penalty(world, partner)
    assert first.number.endswith("〕1号") and second.number.endswith("〕2号")


@pytest.mark.parametrize("written", ["（0573）82345678", "(0573)82345678", "（０５７３）８２３４５６７８", "0573-8234 5678", "（010）6552 8888"])
def test_landlines_in_brackets_are_redacted_whole(written):
    result = redaction.redact(f"当事人联系电话{written}，")
    assert "8234" not in result.text and "6552" not in result.text and "（【" not in result.text and "(【" not in result.text
    assert not redaction.leaks(result.text)


def test_a_local_number_after_a_phone_label_is_redacted_but_amounts_are_not():
    assert "82345678" not in redaction.redact("联系电话：82345678").text
    assert "82345678" in redaction.redact("违法所得 82345678 元").text


def test_access_log_names_the_readers_agency(world, client):
    item = ef.evidence(world.officer_a)
    evidence_services.record_access(world.city_supervisor, item, action=AccessAction.VIEW, channel=AccessChannel.WEB, ip="10.0.0.1")
    client.force_login(world.city_supervisor)
    page = client.get("/evidence/access/").content.decode()
    row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "陈静" in row and "嘉兴市司法局" in row  # the reader's own agency, beside the evidence's
    assert "调阅人所在机关" in page and "证据所属机关" in page


def test_evidence_under_a_case_number_that_does_not_exist_is_refused_on_the_page(world, client, evidence_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhifa.evidence.models import Evidence

    client.force_login(world.officer_a)
    response = client.post("/evidence/new/", {
        "file": SimpleUploadedFile("现场照片.jpg", b"\xff\xd8 photo", content_type="image/jpeg"), "case_number": "嘉应急立〔2026〕999号",
        "title": "现场照片", "kind": "audiovisual", "stage": "on_site", "proves": "现场情况", "captured_at": "2026-11-20T10:00",
        "place": "嘉兴市", "collector": world.officer_a.pk,
    })
    assert response.status_code == 400 and "没有编号为“嘉应急立〔2026〕999号”的案件" in response.content.decode()
    assert not Evidence.objects.exists()


def test_every_ledger_event_kind_written_by_the_code_has_a_chinese_name():
    """Pages show event kinds by name, never as codes: every kind a service appends is named."""
    import re
    from pathlib import Path

    from zhifa.ledger import events

    KIND_LABELS = {k.name: k.label for k in events.all_kinds()}

    root = Path(__file__).resolve().parents[1]
    pattern = re.compile(r'(?:append|_record|record_event)\(\s*"([a-z_]+\.[a-z_]+(?:\.[a-z_]+)?)"')
    kinds = {k for path in root.rglob("*.py") if "tests" not in path.parts for k in pattern.findall(path.read_text(encoding="utf-8"))}
    assert len(kinds) > 40
    assert kinds <= set(KIND_LABELS), sorted(kinds - set(KIND_LABELS))


def test_no_codes_or_markup_shown_to_people(world, client):
    """Stage, procedure, catalogue and list codes appear only as names; page titles carry no markup."""
    from openpyxl import Workbook

    from zhifa.powers import services as powers
    from zhifa.powers.models import PublicItem
    from zhifa.review import services as review
    from zhifa.review.models import Criterion

    partner = team(world)
    review.save_rule(world.admin, name="责令停产停业", criterion=Criterion.PENALTY_KIND, values=["restriction"], basis="目录第二项")
    review.save_rule(world.admin, name="许可决定", criterion=Criterion.CATEGORY, values=["permit"], basis="目录第三项")
    book = Workbook()
    book.active.append(["事项编码", "事项名称", "事项类别", "设定依据", "适用程序"])
    book.active.append(["330400-CF-009", "对未按规定储存危险化学品的处罚", "行政处罚", "条例第八十条", "penalty_general"])
    import io

    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    powers.import_list(world.admin, world.city_a, list_kind="powers", fileobj=data)
    item = PublicItem.objects.get(code="330400-CF-009")
    page = client.get(f"/gs/items/{item.pk}/").content.decode()
    assert "行政处罚普通程序" in page and "penalty_general" not in page
    detail = client.get("/gs/procedures/penalty_general/").content.decode()
    title = detail.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "行政处罚普通程序" in title
    client.force_login(world.admin)
    catalogue = client.get("/review/catalogue/").content.decode()
    assert "限制开展生产经营活动" in catalogue and "行政许可" in catalogue and ">restriction<" not in catalogue and "：permit" not in catalogue
    imports = client.get("/powers/import/").content.decode()
    assert "<th>权责清单</th>" in imports and "<th>powers</th>" not in imports
    case = open_penalty(world, partner)
    client.force_login(world.officer_a)
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "<td>立案</td>" in case_page and "<td>filing</td>" not in case_page
    ledger_page = client.get("/ledger/").content.decode()
    shown = ledger_page.replace('title="cases.case.opened"', "").replace('value="cases.case.opened"', "")  # attributes are not shown
    assert "cases.case.opened" not in shown and "立案" in ledger_page


def test_blockers_name_the_missing_thing(world):
    from zhifa.cases import services as cases

    partner = team(world)
    case = open_penalty(world, partner)
    make_document(world.officer_a, case, "filing_approval")
    case = cases.move_case(world.officer_a, case, to="investigation")
    make_document(world.officer_a, case, "inspection_record", sign=False)  # issued, the party has not signed yet
    problems = cases.blockers(case, case.definition.transition("investigation", "investigation_end"))
    assert any("已签发，尚未登记当事人签名情况" in p for p in problems)
    assert not any("至少应制作" in p for p in problems)
    names = [t["name"] for t in case.definition.transitions_from("statement")] + ["提交审核材料（送审）"]
    assert "送法制审核" not in names  # one name for moving into the stage, another for submitting the file
