"""Base test class that proves a list and detail page and API endpoint are scoped to the agencies a person may see.

A test module subclasses `ScopedEndpoints` once per listed model:

    class TestCaseScoping(ScopedEndpoints):
        page_list, page_detail = "/cases/", "/cases/{pk}/"
        api_list, api_detail = "/api/v1/cases/", "/api/v1/cases/{pk}/"

        def make(self, world, agency):
            return open_case_in(world, agency)   # built through the services, as in use

and inherits the tests below, run against the conftest `world`: one object in 嘉兴市应急管理局 (the officer's
own agency), one in 海盐县应急管理局 (a county in the city supervisor's region) and one in 湖州市应急管理局
(another city). A URL left empty ("") is not tested (some models have no page, or no API).

What the tests prove:
- anonymous: pages send the visitor to the login page and the API answers 401/403 — nothing private shows;
- an officer: their own agency's object is in the lists and opens; another agency's object is absent from the
  lists and its detail page and endpoint answer 404 (never 403: that would confirm the object exists);
- a city supervisor (司法局): sees the agencies in their region (the city and its county), not another city's;
- a province supervisor: sees all three.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient


class ScopedEndpoints:
    page_list = ""
    page_detail = ""
    api_list = ""
    api_detail = ""
    #: query string added to list URLs (a queue that opens on one status, say, shown in full with ?status=)
    list_query = ""

    def make(self, world, agency):  # pragma: no cover - every subclass implements it
        raise NotImplementedError

    def marker(self, obj) -> str:
        """Text that identifies the object on a list page."""
        for attr in ("number", "decision_number", "username", "name", "title"):
            value = getattr(obj, attr, "")
            if value:
                return str(value)
        return str(obj)

    # --- fixtures -------------------------------------------------------------------------------------------

    @pytest.fixture
    def scoped(self, world):
        own = self.make(world, world.city_a)
        county = self.make(world, world.county_a)
        other = self.make(world, world.other_city)
        return world, {"own": own, "county": county, "other": other}

    def _pages(self, user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def _api(self, user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    def _url(self, template, obj=None):
        url = template.format(pk=obj.pk) if obj is not None else template
        if obj is None and self.list_query:
            url += ("&" if "?" in url else "?") + self.list_query
        return url

    def _api_ids(self, user) -> set:
        response = self._api(user).get(self._url(self.api_list), {"limit": 500})
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        return {row["id"] for row in rows}

    def _sees(self, user, objs: dict) -> dict:
        """For each object: (in the API list, in the page list, API detail status, page detail status)."""
        seen = {}
        api_ids = self._api_ids(user) if self.api_list else set()
        page_text = ""
        if self.page_list:
            response = self._pages(user).get(self._url(self.page_list))
            assert response.status_code == 200
            page_text = response.content.decode()
        for name, obj in objs.items():
            seen[name] = (
                obj.pk in api_ids if self.api_list else None,
                self.marker(obj) in page_text if self.page_list else None,
                self._api(user).get(self._url(self.api_detail, obj)).status_code if self.api_detail else None,
                self._pages(user).get(self._url(self.page_detail, obj)).status_code if self.page_detail else None,
            )
        return seen

    @staticmethod
    def _visible(row) -> bool:
        """Listed (API and page) and opening (200): each check of the row, where the URL exists."""
        return all(v in (None, True, 200) for v in row)

    @staticmethod
    def _hidden(row) -> bool:
        """Absent from both lists and a 404 on both detail URLs."""
        return all(v in (None, False, 404) for v in row)

    # --- the tests ------------------------------------------------------------------------------------------

    def test_anonymous_sees_nothing_private(self, scoped):
        world, objs = scoped
        anonymous = Client()
        for template in filter(None, [self.page_list, self.page_detail]):
            response = anonymous.get(self._url(template, objs["own"] if "{pk}" in template else None))
            assert response.status_code == 302 and "/login/" in response["Location"], template
        api = APIClient()
        for template in filter(None, [self.api_list, self.api_detail]):
            response = api.get(self._url(template, objs["own"] if "{pk}" in template else None))
            assert response.status_code in (401, 403), template
            assert self.marker(objs["own"]) not in response.content.decode()

    def test_officer_sees_own_agency_only(self, scoped):
        world, objs = scoped
        seen = self._sees(world.officer_a, objs)
        assert self._visible(seen["own"]), seen["own"]
        assert self._hidden(seen["other"]), seen["other"]
        assert self._hidden(seen["county"]), seen["county"]

    def test_city_supervisor_sees_the_agencies_in_the_region(self, scoped):
        world, objs = scoped
        seen = self._sees(world.city_supervisor, objs)
        assert self._visible(seen["own"]), seen["own"]
        assert self._visible(seen["county"]), seen["county"]
        assert self._hidden(seen["other"]), seen["other"]

    def test_province_supervisor_sees_every_agency_in_the_province(self, scoped):
        world, objs = scoped
        seen = self._sees(world.province_supervisor, objs)
        assert all(self._visible(row) for row in seen.values()), seen
