from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_regional_list, name="public-regional-reports"),
    path("<int:pk>/", views.public_regional_detail, name="public-regional-report"),
]
