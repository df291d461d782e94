from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_list, name="public-inspections"),
    path("verify.py", views.verifier, name="public-inspection-verifier"),
    path("results.csv", views.public_results_csv, name="public-inspection-results-csv"),
    path("<int:pk>/", views.public_plan, name="public-inspection-plan"),
    path("<int:pk>/record.json", views.public_record_json, name="public-inspection-record"),
    path("check/<str:token>/", views.public_check, name="public-inspection-check"),
    path("check/<str:token>/qr.svg", views.public_check_qr, name="public-inspection-check-qr"),
]
