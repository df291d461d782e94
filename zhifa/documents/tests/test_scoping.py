"""Documents: the detail page, the PDF and the list and detail endpoints are scoped (core.testing.scoping)."""

from zhifa.cases.tests.factories import case_in, staff
from zhifa.core.testing.scoping import ScopedEndpoints
from zhifa.documents import services
from zhifa.documents.samples import filled


class TestDocumentScoping(ScopedEndpoints):
    page_detail = "/documents/{pk}/"
    api_list, api_detail = "/api/v1/documents/", "/api/v1/documents/{pk}/"

    def make(self, world, agency):
        officer, _ = staff(world, agency)
        return services.draft_document(officer, case_in(world, agency), doc_type="filing_approval", content=filled("filing_approval"))
