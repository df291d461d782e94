from django.urls import path

from . import views

# 公示 (publicity) pages that need no login.
urlpatterns = [
    path("officers/", views.public_officer_list, name="public-officer-list"),
    path("officers/<str:token>/", views.public_officer, name="public-officer"),
    path("officers/<str:token>/qr.svg", views.public_officer_qr, name="public-officer-qr"),
]
