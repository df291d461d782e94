from django.urls import path

from . import views

urlpatterns = [
    path("", views.evidence_list, name="evidence-list"),
    path("new/", views.evidence_create, name="evidence-create"),
    path("access/", views.access_log, name="evidence-access-log"),
    path("<int:pk>/", views.evidence_detail, name="evidence-detail"),
    path("<int:pk>/download/", views.evidence_download, name="evidence-download"),
]
