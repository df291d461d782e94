"""Review tasks: the queue, the task page and the endpoint are scoped (core.testing.scoping)."""

from decimal import Decimal

from zhifa.cases import services as cases
from zhifa.cases.tests.factories import staff
from zhifa.core.testing.scoping import ScopedEndpoints
from zhifa.documents.tests.factories import statement_case_in
from zhifa.review import services
from zhifa.review.models import CatalogueRule, Criterion


class TestReviewTaskScoping(ScopedEndpoints):
    page_list, page_detail = "/review/", "/review/{pk}/"
    api_list = "/api/v1/review/tasks/"

    def make(self, world, agency):
        if not CatalogueRule.objects.exists():
            services.save_rule(world.admin, name="罚款五万元以上", criterion=Criterion.FINE_AT_LEAST, amount=Decimal("50000"), basis="审核目录第一项")
        officer, _ = staff(world, agency)
        case = cases.move_case(officer, statement_case_in(world, agency), to="legal_review")
        return services.submit_for_review(officer, case)

    def marker(self, obj):
        return obj.case.number
