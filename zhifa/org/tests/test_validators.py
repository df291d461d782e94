import pytest
from django.core.exceptions import ValidationError

from zhifa.org.validators import make_uscc, org_code_check_digit, validate_id_number, validate_region_code, validate_uscc


def test_make_uscc_builds_valid_codes():
    code = make_uscc("1133040000002301")
    assert len(code) == 18
    validate_uscc(code)


def test_uscc_known_good_and_bad():
    validate_uscc("91110108600000004P")
    with pytest.raises(ValidationError, match="18位"):
        validate_uscc("12345")
    with pytest.raises(ValidationError, match="校验失败"):
        validate_uscc("91110108600000004Q")


def test_uscc_embedded_org_code_digit_is_checked():
    # python-stdnum accepts this (final digit recomputed) but the GB 11714 digit is wrong.
    assert org_code_check_digit("60003734") == "1"
    with pytest.raises(ValidationError, match="组织机构代码"):
        validate_uscc("911101086000000097")


def test_region_and_id_number():
    validate_region_code("330424")
    with pytest.raises(ValidationError, match="6位数字"):
        validate_region_code("33042")
    validate_id_number("110105199003071239")
    with pytest.raises(ValidationError, match="身份证"):
        validate_id_number("110105199003071230")
