"""Publications (staff side): the queue, the record page and the endpoint are scoped (core.testing.scoping)."""

from zhifa.core.testing.scoping import ScopedEndpoints
from zhifa.documents.tests.factories import onsite_decision_in
from zhifa.publicity.models import Publication


class TestPublicationScoping(ScopedEndpoints):
    page_list, page_detail = "/publicity/", "/publicity/{pk}/"
    api_list = "/api/v1/publications/"

    def make(self, world, agency):
        return Publication.objects.get(document=onsite_decision_in(world, agency))
