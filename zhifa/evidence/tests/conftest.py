import pytest


@pytest.fixture
def case_number(world):
    """A real case of 张伟's agency: evidence is recorded only against the officer's own cases."""
    from zhifa.cases.tests.factories import open_penalty, team

    return open_penalty(world, team(world)).number
