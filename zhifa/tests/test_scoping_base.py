"""The scoping base tests can fail: with a selector that forgets the agency scope, they do."""

import pytest

from zhifa.org import selectors
from zhifa.org.models import Credential
from zhifa.org.tests import test_scoping as org_scoping


def test_the_scoping_tests_catch_a_selector_that_leaks(world, monkeypatch):
    case = org_scoping.TestCredentialScoping()
    scoped = (world, {name: case.make(world, agency) for name, agency in
                      (("own", world.city_a), ("county", world.county_a), ("other", world.other_city))})
    case.test_officer_sees_own_agency_only(scoped)  # as built: passes

    def leaky(user):
        return Credential.objects.select_related("person", "person__agency") if user.is_authenticated else Credential.objects.none()

    monkeypatch.setattr(selectors, "visible_credentials", leaky)
    with pytest.raises(AssertionError):
        case.test_officer_sees_own_agency_only(scoped)
    with pytest.raises(AssertionError):
        case.test_city_supervisor_sees_the_agencies_in_the_region(scoped)
