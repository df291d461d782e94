from django.urls import path

from . import views

urlpatterns = [
    path("", views.portal, name="public-portal"),
    path("agencies/", views.agency_list, name="public-agencies"),
    path("agencies/<int:pk>/", views.agency_detail, name="public-agency"),
    path("items/<int:pk>/", views.item_detail, name="public-item"),
]
