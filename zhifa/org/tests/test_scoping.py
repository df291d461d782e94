"""Agencies, people and credentials: every list and detail page and endpoint is scoped (core.testing.scoping)."""

from zhifa.core.roles import Role
from zhifa.core.testing.scoping import ScopedEndpoints
from zhifa.org.tests import factories as f


class TestAgencyScoping(ScopedEndpoints):
    page_list, page_detail = "/org/agencies/", "/org/agencies/{pk}/"
    api_list, api_detail = "/api/v1/agencies/", "/api/v1/agencies/{pk}/"

    def make(self, world, agency):
        return agency


class TestPersonScoping(ScopedEndpoints):
    page_list, page_detail = "/org/people/", "/org/people/{pk}/"
    api_list, api_detail = "/api/v1/people/", "/api/v1/people/{pk}/"

    def make(self, world, agency):
        return f.person(agency, Role.OFFICER, full_name=f"{agency.short_name}张某")

    def marker(self, obj):
        return obj.full_name


class TestCredentialScoping(ScopedEndpoints):
    page_list, page_detail = "/org/credentials/", "/org/credentials/{pk}/"
    api_list, api_detail = "/api/v1/credentials/", "/api/v1/credentials/{pk}/"

    def make(self, world, agency):
        return f.credential(f.person(agency, Role.OFFICER, full_name=f"{agency.short_name}李某"))
