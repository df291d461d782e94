from django.urls import path

from . import views

urlpatterns = [
    path("", views.procedure_list, name="public-procedure-list"),
    path("<slug:code>/", views.procedure_detail, name="public-procedure-detail"),
    path("<slug:code>/flowchart.svg", views.procedure_flowchart, name="public-procedure-flowchart"),
]
