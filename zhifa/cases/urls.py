from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_open, name="case-open"),
    path("deadlines/", views.deadline_board, name="case-deadlines"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/move/", views.case_move, name="case-move"),
    path("<int:pk>/proposal/", views.case_proposal, name="case-proposal"),
    path("<int:pk>/choice/", views.case_choice, name="case-choice"),
]
