from django.urls import path

from . import views

urlpatterns = [
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_form, name="agency-create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", views.agency_form, name="agency-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_form, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_form, name="person-edit"),
    path("credentials/", views.credential_list, name="credential-list"),
    path("credentials/new/", views.credential_form, name="credential-create"),
    path("credentials/<int:pk>/", views.credential_detail, name="credential-detail"),
    path("credentials/<int:pk>/status/", views.credential_status, name="credential-status"),
    path("logins/", views.logins, name="logins"),
    path("password/", views.password_change, name="password-change"),
    path("credentials/<int:pk>/qr.svg", views.credential_qr, name="credential-qr"),
]
