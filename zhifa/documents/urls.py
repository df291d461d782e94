from django.urls import path

from . import views

urlpatterns = [
    path("new/<int:case_pk>/", views.document_new, name="document-new"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/issue/", views.document_issue, name="document-issue"),
    path("<int:pk>/request-issue/", views.document_request_issue, name="document-request-issue"),
    path("<int:pk>/sign/", views.document_sign, name="document-sign"),
    path("<int:pk>/serve/", views.document_serve, name="document-serve"),
    path("<int:pk>/pdf/", views.document_pdf, name="document-pdf"),
]
