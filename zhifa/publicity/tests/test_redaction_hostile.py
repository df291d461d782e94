"""Redaction that cannot be dodged: every hostile way of writing an ID or phone number is found, in
`redact` and in the release check alike; property tests generate the variants."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from zhifa.publicity.redaction import leaks, redact

ID = "330402199003071237"
ID_PASSING_USCC = "330402199003071309"  # a valid ID that also passes the 统一社会信用代码 checksum
MOBILE = "13800001234"

HOSTILE = [
    ("全角数字", "３３０４０２１９９００３０７１２３７"),
    ("零宽空格", "3304\u200b0219\u200b9003\u200b0712\u200b37"),
    ("零宽连接符", "330402\u200d199003071237"),
    ("不换行空格", "3304\u00a002199003\u00a0071237"),
    ("点号分隔", "3304.0219.9003.0712.37"),
    ("中点分隔", "138·0000·1234"),
    ("区号括号", "(0573)82001234"),
    ("全角括号", "（0573）82001234"),
    ("短横分段", "0573-8200-1234"),
    ("全角短横", "0573－8200－1234"),
    ("空格分段手机", "138 0000 1234"),
    ("国家码", "+86 138-0000-1234"),
    ("通过信用代码校验的身份证号", ID_PASSING_USCC),
    ("软连字符", "1380000\u00ad1234"),
    ("方向控制符", "\u202e13800001234\u202c"),
]


@pytest.mark.parametrize("label,value", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_format_is_redacted_and_caught_by_the_release_check(label, value):
    text = f"当事人张某（身份证号码：{value}），联系电话见卷宗。"
    assert leaks(text), f"{label}: the release check does not see it"
    result = redact(text)
    assert not leaks(result.text), f"{label}: {result.text}"
    assert "已隐去】" in result.text
    assert result.text.startswith("当事人张某（身份证号码：") and result.text.endswith("），联系电话见卷宗。")


def test_a_real_credit_code_is_kept_and_a_valid_id_with_a_credit_code_label_is_decided_by_both_checksums():
    code = "91330402MA2B8XXX0X"
    valid_code = next(c for c in ("913304007236592123", "91330402MA28A1234Q", "91110000600037341L") if uscc.is_valid(c))
    assert redact(f"统一社会信用代码：{valid_code}").text.endswith(valid_code)
    assert redact(f"统一社会信用代码 {ID_PASSING_USCC}").text.endswith(ID_PASSING_USCC)  # labelled, passes both
    assert ID_PASSING_USCC not in redact(f"身份证号 {ID_PASSING_USCC}").text
    assert ID_PASSING_USCC not in redact(f"号码{ID_PASSING_USCC}").text
    assert code in redact(code).text  # neither an ID nor a phone


def test_amounts_dates_and_document_numbers_are_not_taken_for_numbers_to_hide():
    text = "罚款人民币 50000 元，2026-11-20 作出，嘉应急罚〔2026〕12号，金额 1,234,567.89 元。"
    assert redact(text).text == text


def _valid_id(draw):
    region = draw(st.sampled_from(["330402", "330424", "110101", "440305"]))
    year = draw(st.integers(1950, 2015))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    seq = draw(st.integers(0, 999))
    base = f"{region}{year}{month:02d}{day:02d}{seq:03d}"
    return base + ric.calc_check_digit(base + "0")


FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
SEPARATORS = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", " ", "-", "－", ".", "·", "\u3000", "\u00ad", "\u2013"]


@st.composite
def hostile_number(draw):
    kind = draw(st.sampled_from(["id", "mobile", "landline"]))
    if kind == "id":
        value = _valid_id(draw)
    elif kind == "mobile":
        value = "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    else:
        value = "0" + draw(st.sampled_from(["573", "571", "10", "21"])) + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)))
    chars = list(value)
    if draw(st.booleans()):
        chars = [FULLWIDTH.get(c, c) for c in chars]
    out = []
    for i, c in enumerate(chars):
        out.append(c)
        if i < len(chars) - 1 and draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(SEPARATORS)))
    if kind == "landline" and draw(st.booleans()):
        area = 4 if value.startswith("05") else 3 if value.startswith("01") or value.startswith("02") else 4
        out = ["("] + list(value[:area]) + [")"] + list(value[area:])
    return value, "".join(out)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_number(), st.sampled_from(["当事人", "联系人电话：", "身份证号码", "地址：嘉兴市南湖区"]), st.sampled_from(["。", "，现住", "）", ""]))
def test_generated_hostile_variants_never_survive(number, before, after):
    plain, written = number
    text = f"{before}{written}{after}"
    result = redact(text)
    assert not leaks(result.text), (written, result.text)
    digits = "".join(c for c in result.text if c.isdigit() or c in "Xx")
    assert plain not in digits.translate({ord(v): k for k, v in FULLWIDTH.items()}), (written, result.text)


def test_random_prose_is_left_alone():
    rng = random.Random(7)
    words = ["检查", "发现", "仓库", "消防通道", "堆放", "货物", "责令", "改正", "第三十条", "2026年", "11月", "罚款", "3万元", "一、", "（二）"]
    for _ in range(200):
        text = "".join(rng.choice(words) for _ in range(20))
        assert redact(text).text == text
