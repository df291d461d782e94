from csp.decorators import csp_exempt
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

handler400 = "zhifa.core.views.bad_request"
handler403 = "zhifa.core.views.permission_denied"
handler404 = "zhifa.core.views.page_not_found"
handler500 = "zhifa.core.views.server_error"

urlpatterns = [
    path("", include("zhifa.core.urls")),
    path("org/", include("zhifa.org.urls")),
    path("gs/", include("zhifa.org.public_urls")),
    path("gs/procedures/", include("zhifa.procedures.public_urls")),
    path("gs/decisions/", include("zhifa.publicity.public_urls")),
    path("gs/annual/", include("zhifa.publicity.annual_urls")),
    path("gs/annual/regions/", include("zhifa.supervision.public_urls")),
    path("gs/inspections/", include("zhifa.inspections.public_urls")),
    path("gs/", include("zhifa.powers.public_urls")),
    path("powers/", include("zhifa.powers.urls")),
    path("publicity/", include("zhifa.publicity.urls")),
    path("ledger/", include("zhifa.ledger.urls")),
    path("evidence/", include("zhifa.evidence.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("documents/", include("zhifa.documents.urls")),
    path("review/", include("zhifa.review.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("", include("zhifa.workflow.urls")),
    path("api/v1/", include("zhifa.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", csp_exempt()(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/redoc/", csp_exempt()(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    path("admin/", admin.site.urls),
]
