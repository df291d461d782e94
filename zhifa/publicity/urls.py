from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="publication-queue"),
    path("<int:pk>/", views.publication_detail, name="publication-detail"),
    path("<int:pk>/release/", views.publication_release, name="publication-release"),
    path("<int:pk>/withdraw/", views.publication_withdraw, name="publication-withdraw"),
    path("<int:pk>/revocation/", views.publication_revocation, name="publication-revocation"),
    path("<int:pk>/correct/", views.publication_correct, name="publication-correct"),
    path("settings/<int:agency_pk>/", views.setting, name="publicity-setting"),
]
