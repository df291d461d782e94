from django.urls import path

from . import views

urlpatterns = [
    path("clues/", views.clue_list, name="clues"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("models/", views.model_list, name="problem-models"),
    path("models/run/", views.run, name="problem-models-run"),
]
