from django.urls import path

from . import views

urlpatterns = [
    path("", views.ledger_overview, name="ledger-overview"),
    path("events/<int:seq>/", views.event_detail, name="ledger-event"),
]
