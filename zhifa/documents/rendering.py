"""执法文书 to PDF (WeasyPrint, Noto CJK), sealed with a PAdES signature of the agency (pyHanko).

pyHanko cannot sign with SM2 or produce GB/T 38540 e-seals (STACK.md §5); the seal is a PAdES
ECDSA P-256 signature under the agency's own certificate, and the visible seal is drawn on the page.
"""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from zhifa.cases.gates import hearing_right_applies
from zhifa.cases.models import PenaltyKind

from . import specs


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def context(document, *, number: str, issued_on: datetime.date, approval: dict | None = None) -> dict:
    case = document.case
    return {
        "approval": approval,
        "document": document,
        "title": specs.title(document.doc_type),
        "number": number,
        "agency": document.agency,
        "case": case,
        "parties": list(case.parties.all()),
        "officers": [a.person for a in case.officers.select_related("person").prefetch_related("person__credentials")],
        "fields": [(f.label, document.content.get(f.key, ""), f.long) for f in specs.fields(document.doc_type)],
        "issued_on": chinese_date(issued_on),
        "sealed": document.doc_type in specs.SEALED,
        "party_signs": document.doc_type in specs.PARTY_SIGNS,
        "penalty_kinds": [dict(PenaltyKind.choices).get(k, k) for k in case.penalty_kinds],
        "hearing_right": hearing_right_applies(case),
        "is_decision": document.doc_type in ("penalty_decision", "no_penalty_decision", "onsite_penalty_decision"),
        "states_penalty": document.doc_type in ("penalty_decision", "onsite_penalty_decision", "penalty_notice"),
        "hearing_record": case.documents.filter(doc_type="hearing_record", status="issued").order_by("-issued_on", "-pk").first()
        if document.doc_type == "penalty_decision" else None,
    }


def render_pdf(document, *, number: str, issued_on: datetime.date, approval: dict | None = None) -> bytes:
    """`approval`: {"name", "date", "opinion"} of the head who approved it, printed on the document."""
    import weasyprint

    html = render_to_string("documents/pdf.html", context(document, number=number, issued_on=issued_on, approval=approval))
    return weasyprint.HTML(string=html).write_pdf()


# --- the agency's seal certificate ------------------------------------------------------------


def _key_paths(agency) -> tuple[Path, Path]:
    base = Path(settings.ZHIFA_DOCUMENT_KEY_DIR)
    return base / f"agency-{agency.pk}.key.pem", base / f"agency-{agency.pk}.crt.pem"


def seal_certificate(agency) -> tuple[Path, Path]:
    """The agency's signing key and self-signed certificate, created on first use."""
    key_path, cert_path = _key_paths(agency)
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency.name),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{agency.name}行政执法文书专用章"),
    ])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def seal_pdf(pdf: bytes, agency) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_path, cert_path = seal_certificate(agency)
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    out = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        signers.PdfSignatureMetadata(
            field_name="AgencySeal",
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason="行政执法文书电子签章",
            location=agency.name,
        ),
        signer=signer,
        output=out,
    )
    return out.getvalue()
