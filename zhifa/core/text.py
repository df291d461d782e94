"""Plain text as people write it: no control characters in names and titles, no formulas in CSV cells."""

import re

from django.core.exceptions import ValidationError

# C0 controls but tab, newline and carriage return; DEL and C1; bidi embeddings, overrides, isolates and marks.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
CONTROL_MESSAGE = "不能包含控制字符（如文字方向控制符、ESC、响铃符），请删除后重新输入。"


ID_MAX = 2**63 - 1  # BigAutoField's range on both databases


def query_id(value) -> int | None:
    """A database ID from a query string, or None: ASCII digits only (int() also reads "²" and "١"),
    and never beyond what the database's bigint can hold (an overflow is a 500 on both databases)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


def has_control(text) -> bool:
    return isinstance(text, str) and bool(CONTROL.search(text))


def require_plain(**fields) -> None:
    """Services: refuse any of the named values that holds a control character, naming the field."""
    bad = {name: CONTROL_MESSAGE for name, value in fields.items() if has_control(value)}
    if bad:
        raise ValidationError(bad)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value):
    """OWASP CSV injection: a cell a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


WORD_RUN = re.compile(r"\w+")


def grams(text: str) -> str:
    """Chinese search without a segmenter: '危险化学品 仓库' -> '危险 险化 化学 学品 仓库'. Every text is indexed as
    overlapping character bigrams, so a two-character word is one index look-up and a longer one a phrase of
    bigrams (single-character runs are kept as they are). Used by the portal's and the case list's indexes."""
    tokens = []
    for run in WORD_RUN.findall((text or "").lower()):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(tokens)


def search_phrase(query: str) -> str | None:
    """The bigram phrase the search indexes look up for `query`, or None when they cannot answer it (a single
    character, or nothing but single characters): the caller then scans."""
    phrase = grams(query)
    if len((query or "").strip()) < 2 or not phrase or all(len(t) < 2 for t in phrase.split()):
        return None
    return phrase
