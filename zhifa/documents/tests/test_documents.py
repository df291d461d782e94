import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhifa.cases.tests.factories import open_penalty, team
from zhifa.documents import rendering, services
from zhifa.documents.models import Document
from zhifa.documents.tests.factories import filled, make_document


@pytest.fixture
def case(world):
    partner = team(world)
    return open_penalty(world, partner)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def test_numbers_are_gapless_per_agency_type_and_year(world, case):
    first = make_document(world.officer_a, case, "inspection_record")
    bad = services.draft_document(world.officer_a, case, doc_type="inspection_record", content={"findings": "只填了一项"})
    with pytest.raises(ValidationError, match="未填写"):
        services.issue_document(world.officer_a, bad)
    second = make_document(world.officer_a, case, "inspection_record")
    other_type = make_document(world.officer_a, case, "inquiry_record")
    year = timezone.localdate().year
    short = world.city_a.short_name
    assert (first.number, second.number, other_type.number) == (f"{short}检录〔{year}〕1号", f"{short}检录〔{year}〕2号", f"{short}询〔{year}〕1号")


def test_issued_pdf_is_chinese_sealed_and_immutable(world, case, tmp_path):
    doc = services.draft_document(world.officer_a, case, doc_type="seizure_decision", content=filled("seizure_decision"))
    doc = services.issue_document(world.officer_a, doc)
    data = services.pdf_bytes(doc)
    assert data.startswith(b"%PDF")
    from zhifa.ledger.rfc9162 import sm3

    assert sm3(data).hex() == doc.pdf_sm3
    text = pdf_text(data, tmp_path)  # poppler-utils: installed by scripts/test
    assert "查封（扣押）决定书" in text and doc.number in text and "嘉兴市禾丰化工贸易有限公司" in text
    assert "六十日内向" in text and world.city_a.name in text  # remedies (行政强制法第二十四条)
    (tmp_path / "sample.pdf").write_bytes(data)
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _, cert_path = rendering.seal_certificate(world.city_a)
    _, _, der = pem.unarmor(cert_path.read_bytes())
    reader = PdfFileReader(io.BytesIO(data))
    status = validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[x509.Certificate.load(der)]))
    assert status.intact and status.valid and status.trusted
    with pytest.raises(ValidationError, match="已签发"):
        services.update_draft(world.officer_a, doc, content={"period": "改"})


def test_party_signature_or_noted_refusal(world, case):
    doc = services.issue_document(world.officer_a, services.draft_document(world.officer_a, case, doc_type="inquiry_record", content=filled("inquiry_record")))
    from zhifa.documents.selectors import issued_types

    assert "inquiry_record" not in issued_types(case)  # not yet signed: the gate does not count it
    with pytest.raises(ValidationError, match="注明拒绝"):
        services.record_signature(world.officer_a, doc, outcome="refused")
    with pytest.raises(ValidationError, match="不适用见证人"):
        services.record_signature(world.officer_a, doc, outcome="absent", witness="王某")
    services.record_signature(world.officer_a, doc, outcome="refused", note="当事人以对笔录内容有异议为由拒绝签名，执法人员吴磊、张伟在场。")
    assert "inquiry_record" in issued_types(case)
    record = services.issue_document(world.officer_a, services.draft_document(world.officer_a, case, doc_type="seizure_record", content=filled("seizure_record")))
    with pytest.raises(ValidationError, match="见证人签名"):
        services.record_signature(world.officer_a, record, outcome="absent")
    services.record_signature(world.officer_a, record, outcome="absent", witness="村委会主任 沈建国")


def test_unknown_fields_and_types_are_refused(world, case):
    with pytest.raises(ValidationError, match="未知的文书类型"):
        services.draft_document(world.officer_a, case, doc_type="letter_to_santa")
    with pytest.raises(ValidationError, match="没有这些栏目"):
        services.draft_document(world.officer_a, case, doc_type="inquiry_record", content={"mood": "好"})
    assert not Document.objects.exists()


def test_tampered_pdf_is_found_by_verify(world, case, settings, tmp_path):
    doc = make_document(world.officer_a, case, "filing_approval")
    from django.core.files.storage import storages

    path = storages["documents"].path(doc.pdf_key)
    import os

    os.chmod(path, 0o640)
    with open(path, "ab") as fh:
        fh.write(b"%tampered")
    from zhifa.ledger import verification

    assert any(doc.number in p.message and "被改动" in p.message for p in verification.verify().problems)


def test_notice_tells_the_party_of_the_hearing_right_when_it_applies(world, case, tmp_path):
    from zhifa.cases import services as cases

    cases.set_proposal(world.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="150000", legal_basis="某条例第十条")
    notice = make_document(world.officer_a, case, "penalty_notice")
    text = pdf_text(services.pdf_bytes(notice), tmp_path).replace(" ", "").replace("\n", "")
    assert "有权进行陈述和申辩" in text and "有权要求举行听证" in text and "五个工作日内提出" in text
    # 第四十四条: the proposed penalty, kind and amount, and its legal basis are stated.
    assert "拟作出的行政处罚" in text and "罚款人民币150000.00元" in text and "依据：某条例第十条" in text
