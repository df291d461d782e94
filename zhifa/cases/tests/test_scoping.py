"""Cases: the list and detail page and endpoint are scoped (core.testing.scoping)."""

from zhifa.cases.tests.factories import case_in
from zhifa.core.testing.scoping import ScopedEndpoints


class TestCaseScoping(ScopedEndpoints):
    page_list, page_detail = "/cases/", "/cases/{pk}/"
    api_list, api_detail = "/api/v1/cases/", "/api/v1/cases/{pk}/"

    def make(self, world, agency):
        return case_in(world, agency)
