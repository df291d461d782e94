import re

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _char_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - 55


def org_code_check_digit(first8: str) -> str:
    """GB 11714 check character of the organisation code embedded in a USCC."""
    r = 11 - sum(_char_value(c) * w for c, w in zip(first8, _ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(r, str(r))


def make_uscc(first17_without_checks: str) -> str:
    """Build a valid USCC from registry(1)+category(1)+region(6)+org body(8): fills both check characters."""
    body = first17_without_checks.upper()
    b17 = body + org_code_check_digit(body[8:16])
    return b17 + uscc.calc_check_digit(b17)


def validate_uscc(value: str) -> None:
    value = (value or "").strip().upper()
    if len(value) != 18:
        raise ValidationError("统一社会信用代码应为18位。", code="uscc_length")
    try:
        uscc.validate(value)
    except StdnumError:
        raise ValidationError("统一社会信用代码校验失败，请核对是否录入有误。", code="uscc_invalid")
    # python-stdnum does not check the GB 11714 digit of the embedded organisation code.
    if org_code_check_digit(value[8:16]) != value[16]:
        raise ValidationError("统一社会信用代码中的组织机构代码校验位错误。", code="uscc_org_code")


def validate_region_code(value: str) -> None:
    if not re.fullmatch(r"[1-8]\d{5}", value or ""):
        raise ValidationError("行政区划代码应为6位数字（如 330400）。", code="region_code")


def validate_id_number(value: str) -> None:
    if not value:
        return
    try:
        ric.validate(value)
    except StdnumError:
        raise ValidationError("居民身份证号码无效，请核对。", code="id_number")
