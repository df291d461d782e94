from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/deadline/", views.deadline_view, name="deadline"),
    path("calendar/overrides/", views.override_save, name="override-save"),
    path("calendar/overrides/<int:pk>/delete/", views.override_delete, name="override-delete"),
    path("calendar/publish/", views.publish_year, name="publish-year"),
]
