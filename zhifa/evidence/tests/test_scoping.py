"""Evidence: the list and detail page and endpoint are scoped (core.testing.scoping)."""

from zhifa.cases.tests.factories import staff
from zhifa.core.testing.scoping import ScopedEndpoints
from zhifa.evidence.tests import factories as ef


class TestEvidenceScoping(ScopedEndpoints):
    page_list, page_detail = "/evidence/", "/evidence/{pk}/"
    api_list, api_detail = "/api/v1/evidence/", "/api/v1/evidence/{pk}/"

    def make(self, world, agency):
        officer, _ = staff(world, agency)
        return ef.evidence(officer, data=f"{agency.pk} 现场照片".encode(), title=f"{agency.short_name}仓库现场照片")

    def marker(self, obj):
        return obj.title
