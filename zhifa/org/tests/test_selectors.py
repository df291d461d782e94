import pytest

from zhifa.org import selectors

pytestmark = pytest.mark.django_db


def names(qs):
    return {a.name for a in qs}


def test_officer_sees_only_own_agency(world):
    assert names(selectors.visible_agencies(world.officer_a)) == {"嘉兴市应急管理局"}
    people = selectors.visible_people(world.officer_a)
    assert world.officer_other not in people and world.reviewer_a in people
    assert list(selectors.visible_credentials(world.officer_a)) == [world.cred_a]


def test_city_supervisor_sees_city_and_counties_only(world):
    seen = names(selectors.visible_agencies(world.city_supervisor))
    assert seen == {"嘉兴市司法局", "嘉兴市应急管理局", "海盐县应急管理局"}
    assert world.cred_other not in selectors.visible_credentials(world.city_supervisor)


def test_province_supervisor_sees_the_province(world):
    seen = names(selectors.visible_agencies(world.province_supervisor))
    assert {"湖州市应急管理局", "海盐县应急管理局", "浙江省司法厅"} <= seen


def test_administrator_sees_everything(world):
    assert selectors.visible_agencies(world.admin).count() == 5


def test_person_without_agency_sees_nothing(world):
    from zhifa.org.tests import factories as f

    loner = f.person(None, username="loner")
    assert not selectors.visible_agencies(loner).exists()
    assert not selectors.visible_people(loner).exists()


def test_public_officer_list_shows_only_valid_credentials(world):
    people = selectors.public_officers()
    assert world.officer_a in people and world.reviewer_a not in people
    assert list(selectors.public_officers("张伟")) == [world.officer_a]
    assert list(selectors.public_officers("33050011001")) == [world.officer_other]
