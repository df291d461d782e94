from django.urls import path

from . import views

urlpatterns = [
    path("", views.cockpit_view, name="cockpit"),
    path("cockpit.xlsx", views.cockpit_xlsx, name="cockpit-xlsx"),
    path("clues/", views.clue_list, name="clues"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("models/", views.model_list, name="problem-models"),
    path("models/run/", views.run, name="problem-models-run"),
    path("reports/", views.reports, name="supervision-reports"),
    path("directives/", views.directive_list, name="directives"),
    path("directives/new/", views.directive_new, name="directive-new"),
    path("directives/<int:pk>/", views.directive_detail, name="directive"),
]
