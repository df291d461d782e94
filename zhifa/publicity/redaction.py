"""Redaction before publication (DOMAIN.md R1.10): personal identifiers, natural persons' addresses,
minors, and whatever the reviewer marks as a trade secret. The published text otherwise equals the
decision as served (SAMR45 Art. 7)."""

import re
from dataclasses import dataclass, field

from stdnum.cn import ric, uscc

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
ID_NUMBER_15 = re.compile(r"(?<!\d)[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")
BANK_ACCOUNT = re.compile(r"(?<!\d)(?:\d[ -]?){16,19}(?!\d)")

CATEGORIES = {
    "id_number": "身份证号码",
    "phone": "电话号码",
    "bank_account": "银行账号",
    "address": "自然人住址",
    "minor": "未成年人姓名",
    "trade_secret": "商业秘密",
}


@dataclass
class Redacted:
    text: str
    findings: list[dict] = field(default_factory=list)


def _mask(kind: str) -> str:
    return f"【{CATEGORIES[kind]}已隐去】"


def redact(text: str, *, addresses=(), minors=(), secrets=()) -> Redacted:
    """Everything that must not be published, replaced by a visible marker; findings say what and how many."""
    findings: dict[str, int] = {}

    def sub(pattern, kind, value, keep=lambda match: False):
        nonlocal value_text
        count = 0

        def replace(match):
            nonlocal count
            if keep(match.group(0)):
                return match.group(0)
            count += 1
            return _mask(kind)

        value_text = pattern.sub(replace, value_text)
        if count:
            findings[kind] = findings.get(kind, 0) + count

    value_text = text or ""
    for kind, values in (("trade_secret", secrets), ("minor", minors), ("address", addresses)):
        for value in sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True):
            count = value_text.count(value)
            if count:
                value_text = value_text.replace(value, _mask(kind))
                findings[kind] = findings.get(kind, 0) + count
    sub(ID_NUMBER, "id_number", value_text)
    sub(ID_NUMBER_15, "id_number", value_text)
    # An organisation's 统一社会信用代码 is public (双公示) even when it is all digits.
    sub(BANK_ACCOUNT, "bank_account", value_text, keep=lambda v: uscc.is_valid(v.replace(" ", "").replace("-", "")))
    sub(MOBILE, "phone", value_text)
    sub(LANDLINE, "phone", value_text)
    return Redacted(value_text, [{"category": k, "label": CATEGORIES[k], "count": n} for k, n in findings.items()])


def leaks(text: str) -> list[str]:
    """Identifiers still present in text meant for the public (used by the crawl test and before release)."""
    found = [m.group(0) for m in ID_NUMBER.finditer(text or "") if ric.is_valid(m.group(0).upper())]
    found += [m.group(0) for m in MOBILE.finditer(text or "")]
    return found


def is_minor(id_number: str, on) -> bool:
    """From a valid 18-digit ID number: under 18 on the given date."""
    if not id_number or not ric.is_valid(id_number.upper()):
        return False
    birth = ric.get_birth_date(id_number.upper())
    return (on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))) < 18
