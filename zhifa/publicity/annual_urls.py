from django.urls import path

from . import views

urlpatterns = [
    path("", views.annual_list, name="public-annual-list"),
    path("<int:pk>/", views.annual_detail, name="public-annual"),
    path("<int:pk>/report.pdf", views.annual_pdf, name="public-annual-pdf"),
]
