from django.urls import path

from . import views

urlpatterns = [
    path("", views.decision_list, name="public-decisions"),
    path("open-data.csv", views.open_data_csv, name="public-decisions-csv"),
    path("open-data.json", views.open_data_json, name="public-decisions-json"),
    path("feed.atom", views.atom_feed, name="public-decisions-atom"),
    path("shuanggongshi-cf.csv", views.cf_export, name="public-decisions-cf"),
    path("<str:token>/", views.decision_detail, name="public-decision"),
    path("<str:token>/qr.svg", views.decision_qr, name="public-decision-qr"),
]
