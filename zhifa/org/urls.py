from django.urls import path

from . import sso, views

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
    path("account/", views.account, name="account"),
    path("sso/login/", sso.SignIn.as_view(), name="sso-login"),
    path("sso/callback/", sso.Callback.as_view(), name="sso-callback"),
    path("two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("people/<int:pk>/two-factor/reset/", views.person_two_factor_reset, name="person-two-factor-reset"),
    path("credentials/<int:pk>/qr.svg", views.credential_qr, name="credential-qr"),
]
