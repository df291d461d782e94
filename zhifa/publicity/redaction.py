"""Redaction before publication (DOMAIN.md R1.10): personal identifiers, natural persons' addresses,
minors, and whatever the reviewer marks as a trade secret. The published text otherwise equals the
decision as served (SAMR45 Art. 7)."""

import re
import unicodedata
from dataclasses import dataclass, field

from stdnum.cn import ric, uscc

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
ID_NUMBER_15 = re.compile(r"(?<!\d)[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")
BANK_ACCOUNT = re.compile(r"(?<!\d)(?:\d[ -]?){16,19}(?!\d)")
# A run of digits broken up by separators, brackets or spaces, as hostile or careless writing does:
# (0573)82001234, 0573-8200-1234, 138.0000.0000, 3304 0219 9003 0712 37 …
DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[-. ]?)?\(?\d(?:[-. ()/]{0,2}\d){6,24}(?:[-. ]?[Xx])?(?![0-9A-Za-z])")
PHONE_CONTEXT = re.compile(r"(电话|手机|座机|联系方式|联系号码|tel|Tel|TEL)[\s:：]*$")
CREDIT_CODE_CONTEXT = re.compile(r"(统一社会信用代码|社会信用代码|信用代码|注册号)[\s:：]*$")

# Separators folded to one form before detection: every dash, dot and space a number may be written with.
_FOLD = str.maketrans({
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc\u2043"},
    **{c: "." for c in "\u00b7\u2022\u2027\u30fb\uff0e\u3002\u2219"},
    **{c: " " for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"},
    **{"\uff08": "(", "\uff09": ")"},
})

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


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as detection reads it, and for each of its characters the index of the original one.

    NFKC per character (full-width digits and letters become ASCII), format characters dropped (zero-width
    spaces and joiners, bidi controls, soft hyphens), every dash, dot and space folded to one form. The
    published text keeps its own characters; only the spans found here are replaced in it.
    """
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        for folded in unicodedata.normalize("NFKC", char).translate(_FOLD):
            out.append(folded)
            where.append(index)
    return "".join(out), where


def _id_checksum(digits: str) -> bool:
    """The ISO 7064 MOD 11-2 check digit of an 18-character ID (region lists and dates aside: a number
    shaped like an ID with the right check digit is somebody's ID, whether or not stdnum knows its region)."""
    return len(digits) == 18 and ric.calc_check_digit(digits.upper()) == digits[-1].upper()


def _classify(run: str, before: str) -> str | None:
    """What a run of digits (separators removed) is, if it is something to hide."""
    digits = re.sub(r"[^0-9Xx]", "", run)
    bare = digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    if len(digits) == 18 and ID_NUMBER.fullmatch(digits):
        # A valid ID is an ID, even if it happens to pass the credit-code checksum (about 1 in 31 do),
        # unless the text itself labels it a credit code and it is one.
        credit = uscc.is_valid(digits.upper())
        if _id_checksum(digits):
            return None if credit and CREDIT_CODE_CONTEXT.search(before) else "id_number"
        return None if credit else "id_number"
    if len(digits) == 15 and ID_NUMBER_15.fullmatch(digits):
        return "id_number"
    if not digits.isdigit():
        return None
    if len(bare) == 11 and re.fullmatch(r"1[3-9]\d{9}", bare):
        return "phone"
    if re.fullmatch(r"0\d{9,11}", digits):
        return "phone"
    if 7 <= len(digits) <= 8 and PHONE_CONTEXT.search(before):
        return "phone"  # a local landline written without its area code, after 电话：
    if 16 <= len(digits) <= 19 and not uscc.is_valid(digits):
        return "bank_account"
    return None


def _spans(text: str, *, addresses=(), minors=(), secrets=()) -> list[tuple[int, int, str]]:
    """(start, end, kind) in the original text of everything to hide, found on the normalised text."""
    norm, where = normalise(text)
    taken = [False] * len(norm)
    found: list[tuple[int, int, str]] = []

    def take(start: int, end: int, kind: str) -> None:
        if start < end and not any(taken[start:end]):
            for i in range(start, end):
                taken[i] = True
            found.append((where[start], where[end - 1] + 1, kind))

    for kind, values in (("trade_secret", secrets), ("minor", minors), ("address", addresses)):
        wanted = {normalise(v.strip())[0] for v in values if v and v.strip()}
        for value in sorted(wanted, key=len, reverse=True):
            for match in re.finditer(re.escape(value), norm):
                take(match.start(), match.end(), kind)
    def patterns(*pairs):
        for pattern, kind in pairs:
            for match in pattern.finditer(norm):
                if kind == "id_number" and len(match.group(0)) == 18:
                    if _classify(match.group(0), norm[max(0, match.start() - 12):match.start()]) != "id_number":
                        continue
                take(match.start(), match.end(), kind)

    patterns((ID_NUMBER, "id_number"), (ID_NUMBER_15, "id_number"))
    # Whole runs before the phone patterns: an ID broken by spaces must not lose its tail to a landline match.
    for match in DIGIT_RUN.finditer(norm):
        run = match.group(0)
        kind = _classify(run, norm[max(0, match.start() - 12):match.start()])
        if kind:
            # A leading bracket goes with the number only when it closes inside it: (0573)82345678.
            opened = len(run) - len(run.lstrip("("))
            start = match.start() + (0 if opened and kind == "phone" and ")" in run else opened)
            take(start, match.end(), kind)
    patterns((MOBILE, "phone"), (LANDLINE, "phone"))
    return sorted(found)


def redact(text: str, *, addresses=(), minors=(), secrets=()) -> Redacted:
    """Everything that must not be published, replaced by a visible marker; findings say what and how many."""
    text = text or ""
    findings: dict[str, int] = {}
    pieces, last = [], 0
    for start, end, kind in _spans(text, addresses=addresses, minors=minors, secrets=secrets):
        if start < last:
            continue
        pieces += [text[last:start], _mask(kind)]
        last = end
        findings[kind] = findings.get(kind, 0) + 1
    pieces.append(text[last:])
    return Redacted("".join(pieces), [{"category": k, "label": CATEGORIES[k], "count": n} for k, n in findings.items()])


def leaks(text: str) -> list[str]:
    """ID and phone numbers still present in text meant for the public, however they are written
    (used before release, and by the crawl test)."""
    text = text or ""
    return [text[s:e] for s, e, kind in _spans(text) if kind in ("id_number", "phone")]


def is_minor(id_number: str, on) -> bool:
    """From a valid 18-digit ID number: under 18 on the given date."""
    if not id_number or not ric.is_valid(id_number.upper()):
        return False
    birth = ric.get_birth_date(id_number.upper())
    return (on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))) < 18
