"""core.validation: the same verdicts as full_clean(), without the queries whose answer is known."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core import validation
from zhifa.org.models import Agency, Department, Person
from zhifa.org.tests.factories import agency as make_agency


def _queries(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
def test_a_loaded_foreign_key_is_not_looked_up_again_but_an_unknown_one_is():
    agency = make_agency()
    held = Department(agency=agency, name="执法一队", function="enforcement")
    assert not [q for q in _queries(lambda: validation.validate(held)) if "org_agency" in q]
    by_id = Department(agency_id=agency.pk, name="执法二队", function="enforcement")
    assert [q for q in _queries(lambda: validation.validate(by_id)) if "org_agency" in q]
    missing = Department(agency_id=agency.pk + 10_000, name="执法三队", function="enforcement")
    with pytest.raises(ValidationError) as caught:
        validation.validate(missing)
    assert "agency" in caught.value.message_dict


@pytest.mark.django_db
def test_changed_fields_are_validated_and_their_unique_checks_include_unchanged_partners():
    agency = make_agency()
    Department.objects.create(agency=agency, name="法制科", function="legal_review")
    other = Department.objects.create(agency=agency, name="执法一队", function="enforcement")
    other.name = "法制科"  # (agency, name) is unique: agency is unchanged, the check must still run
    with pytest.raises(ValidationError) as caught:
        validation.save(other, changed=["name"])
    assert "已经存在" in str(caught.value.messages)
    other.name = "x" * 101
    with pytest.raises(ValidationError) as caught:
        validation.save(other, changed=["name"])
    assert "name" in caught.value.message_dict
    assert Department.objects.get(pk=other.pk).name == "执法一队"  # nothing changed


@pytest.mark.django_db
def test_unchanged_fields_are_neither_checked_nor_written():
    agency = make_agency()
    department = Department.objects.create(agency=agency, name="执法一队", function="enforcement")
    Department.objects.filter(pk=department.pk).update(function="not-a-choice")  # stored before a rule changed
    department.refresh_from_db()
    department.name = "执法二队"
    validation.save(department, changed=["name"])
    with pytest.raises(ValidationError):
        validation.validate(department)  # validating everything still finds it
    department.name, department.function = "执法三队", "office"
    validation.save(department, changed=["name"])  # function was changed in memory only, not by the service
    stored = Department.objects.get(pk=department.pk)
    assert (stored.name, stored.function) == ("执法三队", "not-a-choice")
    assert stored.updated_at >= department.created_at  # auto_now stamps are written with the change


@pytest.mark.django_db
def test_a_new_row_is_validated_whole_whatever_changed_says():
    agency = make_agency()
    with pytest.raises(ValidationError) as caught:
        validation.save(Department(agency=agency, name="执法一队", function="bad"), changed=["name"])
    assert "function" in caught.value.message_dict
    with pytest.raises(ValueError):
        validation.validate(Person.objects.first() or Person(username="x"), changed=["no_such_field"])
    assert Agency.objects.count() == 1
